/** The registry suite on a real Postgres (a fresh database): skipped locally without one, fatal in CI. */
import { Persistence, SecretCipher } from "@berth/adapters"
import { Testing } from "@berth/adapters/testing"
import { describe } from "@effect/vitest"
import { Layer, Redacted } from "effect"
import { registrySuite } from "./support/RegistrySuite.js"

const url = await Testing.freshPostgresDatabase("berth_http")

describe.skipIf(url === undefined)("Postgres", () => {
  registrySuite(
    "registry (§5.11) and its token gate (§4.4) on Postgres",
    Persistence.layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }).pipe(Layer.provide(SecretCipher.layer(undefined)))
  )
})
