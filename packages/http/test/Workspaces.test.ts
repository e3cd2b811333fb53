import { persistence } from "./support/TestServer.js"
import { workspacesSuite } from "./support/WorkspacesSuite.js"

workspacesSuite("workspaces (§5.2–§5.5) on PGlite", persistence)
