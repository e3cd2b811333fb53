/** The workspaces suite on a real Postgres (a fresh database): skipped locally without one, fatal in CI. */
import { Persistence, SecretCipher } from "@berth/adapters"
import { Testing } from "@berth/adapters/testing"
import { describe } from "@effect/vitest"
import { Layer, Redacted } from "effect"
import { workspacesSuite } from "./support/WorkspacesSuite.js"

const url = await Testing.freshPostgresDatabase("berth_http_ws")

describe.skipIf(url === undefined)("Postgres", () => {
  workspacesSuite(
    "workspaces (§5.2–§5.5) on Postgres",
    Persistence.layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }).pipe(Layer.provide(SecretCipher.layer(Buffer.alloc(32, 3))))
  )
})
