/** The repository suite on the embedded database (one in-memory PGlite for the file). */
import { Layer } from "effect"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { repositorySuite } from "./RepositorySuite.js"

const key = Buffer.alloc(32, 7)

repositorySuite(
  "repositories on PGlite",
  layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(Layer.provide(SecretCipher.layer(key)))
)
