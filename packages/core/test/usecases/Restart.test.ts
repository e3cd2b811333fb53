/**
 * The restart use case (§5.6) on the stores: the rules in the contract's order, the shared status write and its
 * event, with the CP adapter against a loopback CP as the backend and with no backend at all. The background cycle
 * itself (stop, provision) is the lifecycle's and is tested with it; here the lifecycle takes the request and returns.
 */
import { CpProvisioner, EventBusMemory, TemplateCatalogueFs } from "@berth/adapters"
import { CpServer } from "@berth/adapters/testing"
import type { RestartOptions } from "@berth/core"
import { Errors, EventBus, EventLog, Restart, Runtime, WorkspaceId, WorkspaceLifecycle, WorkspaceStore } from "@berth/core"
import { NodeFileSystem, NodeHttpClient } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Option, Redacted, Stream } from "effect"
import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { databases } from "./Harness.js"
import { create, setStatus } from "./Rows.js"

const noOptions: RestartOptions = { template: "", reapply: false, reset: false }
const request = (options: RestartOptions = noOptions, resetQuery = false) => ({ options: Effect.succeed(options), resetQuery })
/** A body that does not decode: must only be read once rules 1–3 passed. */
const badBody = { options: Effect.fail(new Errors.InvalidInput({ message: "invalid request body" })), resetQuery: false }

const restart = (id: WorkspaceId.WorkspaceId, r: Parameters<Restart["restart"]>[1] = request()) =>
  Effect.flatMap(Restart, (s) => s.restart(id, r))

/** The lifecycle takes the cycle and returns at once (§10.5); what it runs is not this use case's. */
const inertLifecycle = Layer.succeed(WorkspaceLifecycle, {
  provisionInBackground: () => Effect.void,
  restartInBackground: () => Effect.void,
  stopRemoved: () => Effect.succeed([]),
  cancel: () => Effect.void
})

const templates = TemplateCatalogueFs.layerFresh(fs.mkdtempSync(path.join(os.tmpdir(), "berth-restart-"))).pipe(Layer.provide(NodeFileSystem.layer))
const common = Layer.mergeAll(inertLifecycle, EventBusMemory.layer, templates, Layer.succeed(Runtime.RuntimeAllowlist, Runtime.fallbackAllowlist))

const loopbackCp = Layer.unwrapScoped(Effect.map(CpServer.make, (cp) =>
  CpProvisioner.layer({
    baseUrl: cp.url,
    orgId: "org-1",
    sharedSecret: Redacted.make("s"),
    adminApiToken: Redacted.make("a"),
    adminToken: Redacted.make("t")
  }).pipe(Layer.provide(NodeHttpClient.layer))))

for (const db of databases) {
  describe(db.name, () => {
    const overCp = Restart.Default.pipe(Layer.provide(Layer.merge(common, loopbackCp)), Layer.provideMerge(common), Layer.provideMerge(db.persistence))
    layer(overCp, { timeout: "60 seconds" })("restart over the CP", (it) => {
      it.effect("unknown is WorkspaceNotFound, removed is WorkspaceRemoved with removed_at", () =>
        Effect.gen(function* () {
          const unknown = WorkspaceId.unsafeMake(randomUUID())
          expect((yield* Effect.flip(restart(unknown)))._tag).toBe("WorkspaceNotFound")
          const gone = yield* create()
          yield* (yield* WorkspaceStore).markRemoved([{ id: gone, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }])
          const removed = yield* Effect.flip(restart(gone))
          expect(removed).toMatchObject({ _tag: "WorkspaceRemoved", id: gone })
          expect(removed._tag === "WorkspaceRemoved" && removed.removedAt instanceof Date).toBe(true)
        }))

      it.effect("a paused ancestor at any depth refuses the restart, naming it, before the body is read", () =>
        Effect.gen(function* () {
          const org = yield* create({ name: "Org" })
          const team = yield* create({ name: "Team", parentId: org })
          const agent = yield* create({ name: "Agent", parentId: team })
          yield* setStatus(org, "paused")
          expect(yield* Effect.flip(restart(agent, badBody))).toMatchObject({ _tag: "AncestorPaused", id: agent, ancestorName: "Org" })
        }))

      it.effect("an external workspace: nothing to restart and nothing written", () =>
        Effect.gen(function* () {
          const id = yield* create({ runtime: Runtime.EXTERNAL })
          const before = yield* (yield* EventLog).latest(100, id)
          expect(yield* restart(id, badBody)).toEqual({ _tag: "External" })
          expect(yield* (yield* EventLog).latest(100, id)).toEqual(before)
        }))

      it.effect("an undecodable body or an unknown template is InvalidInput, and nothing is written", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* setStatus(id, "online")
          expect(yield* Effect.flip(restart(id, badBody))).toMatchObject({ _tag: "InvalidInput", message: "invalid request body" })
          expect((yield* Effect.flip(restart(id, request({ ...noOptions, template: "../etc" }))))._tag).toBe("InvalidInput")
          expect(Option.map(yield* (yield* WorkspaceStore).get(id), (w) => w.status)).toEqual(Option.some("online"))
        }))

      it.scoped("a restart sets provisioning with the url cleared, records and publishes WORKSPACE_PROVISIONING (user_restart)", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "w1" })
          yield* setStatus(id, "online")
          yield* (yield* WorkspaceStore).setUrl(id, "http://127.0.0.1:9")
          const published = yield* Effect.fork(Stream.runCollect(Stream.take(yield* (yield* EventBus).subscribe, 1)))
          expect(yield* restart(id, request(noOptions, true))).toEqual({ _tag: "Provisioning", config: { _tag: "ExistingVolume" }, resetSession: true })
          const row = Option.getOrThrow(yield* (yield* WorkspaceStore).get(id))
          expect([row.status, row.url]).toEqual(["provisioning", ""])
          const [event] = Chunk.toReadonlyArray(yield* Fiber.join(published))
          expect(event).toMatchObject({ type: "WORKSPACE_PROVISIONING", workspaceId: id, payload: { name: "w1", tier: 3, runtime: "claude-code", source: "user_restart" } })
        }))

      it.effect("a restart of a hibernated workspace is a wake: provisioning, source wake", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "sleeper" })
          yield* setStatus(id, "hibernated")
          expect((yield* restart(id))._tag).toBe("Provisioning")
          const [event] = yield* (yield* EventLog).latest(1, id)
          expect(event).toMatchObject({ type: "WORKSPACE_PROVISIONING", payload: { name: "sleeper", source: "wake" } })
        }))
    })

    const overNothing = Restart.Default.pipe(Layer.provide(common), Layer.provideMerge(db.persistence))
    layer(overNothing, { timeout: "60 seconds" })("restart without a backend", (it) => {
      it.effect("is NoBackend (→ 503) after the external rule, and writes nothing", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* setStatus(id, "online")
          expect((yield* Effect.flip(restart(id, badBody)))._tag).toBe("NoBackend")
          expect(Option.map(yield* (yield* WorkspaceStore).get(id), (w) => w.status)).toEqual(Option.some("online"))
          expect(yield* restart(yield* create({ runtime: Runtime.EXTERNAL }))).toEqual({ _tag: "External" })
        }))
    })
  })
}
