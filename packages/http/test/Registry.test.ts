import { persistence } from "./support/TestServer.js"
import { registrySuite } from "./support/RegistrySuite.js"

registrySuite("registry (§5.11) and its token gate (§4.4) on PGlite", persistence)
