import { eventStreamSuite } from "./support/EventStreamSuite.js"
import { persistence } from "./support/TestServer.js"

eventStreamSuite("SSE GET /workspaces/:id/events/stream (§5.12) on PGlite", persistence)
