/** SSE over Postgres: events travel through NOTIFY/LISTEN (EventBusPg); skipped locally without Postgres, fatal in CI. */
import { Persistence, SecretCipher } from "@berth/adapters"
import { Testing } from "@berth/adapters/testing"
import { describe } from "@effect/vitest"
import { Layer, Redacted } from "effect"
import { eventStreamSuite } from "./support/EventStreamSuite.js"

const url = await Testing.freshPostgresDatabase("berth_http_sse")

describe.skipIf(url === undefined)("Postgres", () => {
  eventStreamSuite(
    "SSE GET /workspaces/:id/events/stream (§5.12) on Postgres",
    Persistence.layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }).pipe(Layer.provide(SecretCipher.layer(undefined)))
  )
})
