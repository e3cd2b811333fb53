/**
 * The registry use cases (§5.11, §5.12) run on the harness databases through core's `Registry` and `Hierarchy`,
 * with no HTTP: register, heartbeat, update-card, bootstrap-failed and the hierarchy rule.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as AgentUrl from "../../src/domain/AgentUrl.js"
import { InboundSecretCache } from "../../src/lifecycle/InboundSecretCache.js"
import { StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
import { Hierarchy } from "../../src/registry/Hierarchy.js"
import type { Beat, RegisterRequest } from "../../src/registry/Registry.js"
import { Registry } from "../../src/registry/Registry.js"
import { DeploymentMode } from "../../src/domain/DeploymentMode.js"
import type { WorkspaceId } from "../../src/domain/WorkspaceId.js"
import { freshId, storedWorkspace } from "../registry/Fixtures.js"
import { databases } from "./Harness.js"

// These tests use IP literals and `localhost`, which the URL check never resolves.
const NoResolver = Layer.succeed(AgentUrl.HostResolver, {
  resolve: (host) => Effect.fail(new AgentUrl.ResolveFailed({ host, reason: "no resolver in this test" }))
})

const core = (persistence: (typeof databases)[number]["persistence"]) =>
  Layer.mergeAll(Registry.Default, Hierarchy.Default).pipe(
    Layer.provideMerge(Layer.mergeAll(InboundSecretCache.Default, NoResolver, Layer.succeed(DeploymentMode, { saasMode: false }))),
    Layer.provideMerge(persistence)
  )

const registration = (id: WorkspaceId, overrides: Partial<RegisterRequest> = {}): RegisterRequest => ({
  id,
  agentCard: { name: "agent" },
  url: "http://localhost:8000",
  deliveryMode: Option.none(),
  bearer: Option.none(),
  ...overrides
})

const beatOf = (id: WorkspaceId, overrides: Partial<Beat> = {}): Beat => ({
  id,
  bearer: Option.none(),
  errorRate: 0,
  sampleError: null,
  activeTasks: 1,
  uptimeSeconds: 10,
  currentTask: null,
  monthlySpend: null,
  runtimeState: null,
  capabilities: null,
  ...overrides
})

const statusOf = (id: WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => store.get(id)).pipe(Effect.map(Option.map((w) => w.status)))

/** Registers `id` by bootstrap and returns the token it was given. */
const bootstrapped = (id: WorkspaceId) =>
  Effect.flatMap(Registry, (registry) => registry.register(registration(id))).pipe(
    Effect.map((done) => Option.getOrThrow(done.authToken))
  )

for (const db of databases) {
  describe(`registry use cases on ${db.name}`, () => {
    layer(core(db.persistence), { timeout: "60 seconds" })((it) => {
      it.effect("register: the bootstrap mints a token once; afterwards the gate wants that token", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          const id = freshId()
          const first = yield* registry.register(registration(id))
          expect(first.deliveryMode).toBe("push")
          expect(Option.isSome(first.authToken)).toBe(true)
          expect(Option.isSome(first.inboundSecret)).toBe(true)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))

          const missing = yield* Effect.flip(registry.register(registration(id)))
          expect(missing).toMatchObject({ _tag: "TokenRejected", presented: false })
          const wrong = yield* Effect.flip(registry.register(registration(id, { bearer: Option.some("nope") })))
          expect(wrong).toMatchObject({ _tag: "TokenRejected", presented: true })

          const again = yield* registry.register(registration(id, { bearer: first.authToken }))
          expect(Option.isNone(again.authToken)).toBe(true) // never re-issued
          expect(again.inboundSecret).toEqual(first.inboundSecret)
        }))

      it.effect("register: push needs a url that passes the check; poll does not; the stored mode is kept", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          const id = freshId()
          expect(yield* Effect.flip(registry.register(registration(id, { url: null }))))
            .toMatchObject({ _tag: "InvalidInput", message: "url is required for push-mode workspaces" })
          expect(yield* Effect.flip(registry.register(registration(id, { url: "ftp://localhost" }))))
            .toMatchObject({ _tag: "InvalidInput", message: "url scheme must be http or https" })
          expect(Option.isNone(yield* statusOf(id))).toBe(true) // nothing stored

          const polled = yield* registry.register(registration(id, { url: null, deliveryMode: Option.some("poll") }))
          expect(polled.deliveryMode).toBe("poll")
          const token = polled.authToken
          const kept = yield* registry.register(registration(id, { url: null, bearer: token }))
          expect(kept.deliveryMode).toBe("poll")
        }))

      it.effect("register and heartbeat on a removed workspace fail WorkspaceRemoved with its removed_at", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          const id = yield* storedWorkspace()
          yield* Effect.flatMap(WorkspaceStore, (store) =>
            store.markRemoved([{ id, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }]))
          const onRegister = yield* Effect.flip(registry.register(registration(id)))
          expect(onRegister).toMatchObject({ _tag: "WorkspaceRemoved", id })
          expect(onRegister._tag === "WorkspaceRemoved" && onRegister.removedAt instanceof Date).toBe(true)
          expect(yield* Effect.flip(registry.heartbeat(beatOf(id)))).toMatchObject({ _tag: "WorkspaceRemoved", id })
        }))

      it.effect("heartbeat: unknown → WorkspaceNotFound; the gate judges the bearer; statuses follow the rules", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          expect(yield* Effect.flip(registry.heartbeat(beatOf(freshId())))).toMatchObject({ _tag: "WorkspaceNotFound" })
          const id = freshId()
          const token = yield* bootstrapped(id)
          expect(yield* Effect.flip(registry.heartbeat(beatOf(id)))).toMatchObject({ _tag: "TokenRejected", presented: false })
          expect(yield* Effect.flip(registry.heartbeat(beatOf(id, { bearer: Option.some("nope") }))))
            .toMatchObject({ _tag: "TokenRejected", presented: true })

          const bearer = Option.some(token)
          const ok = yield* registry.heartbeat(beatOf(id, { bearer, errorRate: 0.9, sampleError: "boom" }))
          expect(Option.isSome(ok.inboundSecret)).toBe(true)
          expect(yield* statusOf(id)).toEqual(Option.some("degraded"))
          yield* registry.heartbeat(beatOf(id, { bearer, errorRate: 0.05 }))
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          // status_mgmt: the agent owns online/degraded
          yield* registry.heartbeat(beatOf(id, { bearer, errorRate: 0.9, capabilities: { status_mgmt: true } }))
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          yield* registry.heartbeat(beatOf(id, { bearer, runtimeState: "wedged" }))
          expect(yield* statusOf(id)).toEqual(Option.some("degraded"))

          yield* Effect.flatMap(StatusWrites, (writes) =>
            writes.transition({ id, row: Transitions.containerGone, input: undefined }))
          yield* registry.heartbeat(beatOf(id, { bearer }))
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))

      it.effect("heartbeat stores the cleaned sample: non-finite numbers count as 0, spend is never negative", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          const id = freshId()
          const bearer = Option.some(yield* bootstrapped(id))
          yield* registry.heartbeat(beatOf(id, {
            bearer, activeTasks: 2.7, uptimeSeconds: Number.NaN, monthlySpend: -5, currentTask: "t", errorRate: null
          }))
          const row = Option.getOrThrow(yield* Effect.flatMap(WorkspaceStore, (store) => store.get(id)))
          expect(row).toMatchObject({ activeTasks: 2, uptimeSeconds: 0, monthlySpend: 0, currentTask: "t", lastErrorRate: 0 })
        }))

      it.effect("update-card: gated, stored, unknown → WorkspaceNotFound", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          expect(yield* Effect.flip(registry.updateCard(freshId(), { name: "x" }, Option.none())))
            .toMatchObject({ _tag: "WorkspaceNotFound" })
          const id = freshId()
          const token = yield* bootstrapped(id)
          expect(yield* Effect.flip(registry.updateCard(id, { name: "x" }, Option.none())))
            .toMatchObject({ _tag: "TokenRejected", presented: false })
          yield* registry.updateCard(id, { name: "renamed" }, Option.some(token))
          const row = Option.getOrThrow(yield* Effect.flatMap(WorkspaceStore, (store) => store.get(id)))
          expect(row.agentCard).toEqual({ name: "renamed" })
        }))

      it.effect("bootstrap-failed: provisioning → failed with the error and tail; a second report changes nothing", () =>
        Effect.gen(function* () {
          const registry = yield* Registry
          const id = yield* storedWorkspace()
          expect(yield* registry.bootstrapFailed(id, { error: "boom", logTail: "line 1\nline 2" })).toBe(true)
          const row = Option.getOrThrow(yield* Effect.flatMap(WorkspaceStore, (store) => store.get(id)))
          expect(row).toMatchObject({ status: "failed", lastSampleError: "boom\nline 1\nline 2" })
          expect(yield* registry.bootstrapFailed(id, { error: "again", logTail: "" })).toBe(false)
          expect(yield* registry.bootstrapFailed(freshId(), { error: "", logTail: "" })).toBe(false)
        }))

      it.effect("CanCommunicate over stored rows: parent and child, siblings; not cousins", () =>
        Effect.gen(function* () {
          const rule = yield* Hierarchy
          const root = yield* storedWorkspace()
          const [a, b] = [yield* storedWorkspace(root), yield* storedWorkspace(root)]
          const other = yield* storedWorkspace()
          const cousin = yield* storedWorkspace(other)
          expect(yield* rule.canCommunicate(a, root)).toBe(true)
          expect(yield* rule.canCommunicate(root, a)).toBe(true)
          expect(yield* rule.canCommunicate(a, b)).toBe(true)
          expect(yield* rule.canCommunicate(root, other)).toBe(true) // two roots
          expect(yield* rule.canCommunicate(a, cousin)).toBe(false)
        }))
    })
  })
}
