/**
 * `Berth.layer(config)` in an Effect host (issue 18): core's use cases called in-process, with no HTTP, over embedded
 * PGlite; and `Berth.layerOverClient` over a `SqlClient` the host built itself (migrated on start).
 */
import { describe, expect, layer } from "@effect/vitest"
import { EmbeddedSql } from "@berth/adapters"
import { EventBus, Workspaces } from "@berth/core"
import { SqlClient } from "@effect/sql"
import { Chunk, Effect, Fiber, Layer, Stream } from "effect"
import * as Berth from "../../src/embed/Berth.js"

const createExternal = (name: string) =>
  Effect.flatMap(Workspaces, (w) => w.create({ name, external: true }, { idempotencyKey: undefined, fingerprint: name, platformUrl: "http://host/berth" }))

describe("Berth.layer", () => {
  layer(Berth.layer({ database: { dataDir: "memory://" }, backgroundLoops: false }), { timeout: "60 seconds" })((it) => {
    it.effect("workspaces.create in-process; the event reaches the bus the host subscribes to", () =>
      Effect.gen(function* () {
        const stream = yield* (yield* EventBus).subscribe
        const first = yield* Effect.fork(Stream.runCollect(Stream.take(stream, 2)))
        const created = yield* createExternal("In-process Bot")
        expect(created._tag).toBe("AwaitingAgent")
        const view = yield* Effect.flatMap(Workspaces, (w) => w.get(created.id, { includeRemoved: false }))
        expect(view.workspace).toMatchObject({ name: "In-process Bot", status: "awaiting_agent", runtime: "external" })
        const events = Chunk.toReadonlyArray(yield* Fiber.join(first))
        expect(events.map((e) => e.type)).toEqual(["WORKSPACE_PROVISIONING", "WORKSPACE_AWAITING_AGENT"])
      }).pipe(Effect.scoped))
  })

  const hostClient = EmbeddedSql.layer("memory://")
  layer(Layer.provideMerge(Berth.layerOverClient({ backgroundLoops: false }), hostClient), { timeout: "60 seconds" })((it) => {
    it.effect("over the host's SqlClient: migrated, and the rows are the host's to read", () =>
      Effect.gen(function* () {
        const created = yield* createExternal("Host-client Bot")
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ readonly name: string }>`SELECT name FROM workspaces WHERE id = ${created.id}`
        expect(rows).toEqual([{ name: "Host-client Bot" }])
      }))
  })
})
