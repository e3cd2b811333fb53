/** The same repository suite on a real Postgres (a fresh database); skipped locally without one, fatal in CI. */
import { describe } from "@effect/vitest"
import { Layer, Redacted } from "effect"
import { Testing } from "../../src/testing/index.js"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { repositorySuite } from "./RepositorySuite.js"

const url = await Testing.freshPostgresDatabase()
const key = Buffer.alloc(32, 9)

describe.skipIf(url === undefined)("Postgres", () => {
  repositorySuite(
    "repositories on Postgres",
    layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }).pipe(Layer.provide(SecretCipher.layer(key)))
  )
})
