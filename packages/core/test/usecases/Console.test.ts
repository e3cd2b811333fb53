/** The console use case (§5.12 `GET …/console`) on the stores, with a loopback CP or without any machine backend. */
import { CpProvisioner } from "@berth/adapters"
import { CpServer } from "@berth/adapters/testing"
import { Console, WorkspaceId, WorkspaceStore } from "@berth/core"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { databases } from "./Harness.js"
import { create } from "./Rows.js"

const unknown = WorkspaceId.unsafeMake(randomUUID())

const cpOptions = (baseUrl: string) => ({
  baseUrl,
  orgId: "org-1",
  sharedSecret: Redacted.make("s"),
  adminApiToken: Redacted.make("a"),
  adminToken: Redacted.make("t")
})

class LoopbackCp extends Effect.Tag("test/LoopbackCp")<LoopbackCp, CpServer.CpServer>() {}

/** The console over a fresh loopback CP (the real CP adapter, Node's HTTP client), and the CP to script. */
const overLoopbackCp = Layer.unwrapScoped(Effect.map(CpServer.make, (cp) =>
  Layer.merge(
    Console.Default.pipe(Layer.provide(CpProvisioner.layer(cpOptions(cp.url)).pipe(Layer.provide(NodeHttpClient.layer)))),
    Layer.succeed(LoopbackCp, cp)
  )))

for (const db of databases) {
  describe(db.name, () => {
    layer(Console.Default.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })("console without a CP", (it) => {
      it.effect("is not available, before any row is read (→ 501)", () =>
        Effect.gen(function* () {
          const id = yield* create()
          const consoles = yield* Console
          expect((yield* Effect.flip(consoles.output(id)))._tag).toBe("NoMachineConsole")
          expect((yield* Effect.flip(consoles.output(unknown)))._tag).toBe("NoMachineConsole")
        }))
    })

    layer(overLoopbackCp.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })("console over a loopback CP", (it) => {
      it.effect("answers the machine's console output of a known workspace", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* (yield* WorkspaceStore).setInstanceId(id, "i-0abc")
          expect(yield* (yield* Console).output(id)).toBe(`console of ${id}`)
        }))

      it.effect("an unknown workspace is WorkspaceNotFound and asks the CP nothing", () =>
        Effect.gen(function* () {
          const cp = yield* LoopbackCp
          const before = (yield* cp.requests()).length
          expect(yield* Effect.flip((yield* Console).output(unknown))).toMatchObject({ _tag: "WorkspaceNotFound", id: unknown })
          expect((yield* cp.requests()).length).toBe(before)
        }))

      it.effect("a failing CP request is ProvisionFailed (→ 502)", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* (yield* LoopbackCp).answer("console", CpServer.respond(500, { error: "boom" }), { times: 1 })
          expect((yield* Effect.flip((yield* Console).output(id)))._tag).toBe("ProvisionFailed")
        }))
    })
  })
}
