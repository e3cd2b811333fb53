/**
 * Pause, resume and hibernate (§2.4) on the stores: every from-status × route, the cascades,
 * the busy and forced hibernation, and a stop that fails (container and CP) leaving the prior status with the reason.
 * The backend is a tiny in-memory `Provisioner` whose stop can be told to fail; the lifecycle takes provisions and
 * returns (what it runs is tested with it).
 */
import { EventBusMemory } from "@berth/adapters"
import type { WorkspaceStatus } from "@berth/core"
import {
  AgentRegistrations, Errors, EventLog, Hibernation, LeakSuspects, MachineConsole, Provisioner, Runtime, StatusWrites,
  Transitions, WorkspaceId, WorkspaceLifecycle, WorkspaceStore
} from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { randomUUID } from "node:crypto"
import { databases } from "./Harness.js"
import { create, setStatus } from "./Rows.js"

/** What the scripted stop does next; set by the test that needs it, reset after. */
const script = { stopFails: false, registerDuringStop: false }

/** The agent registering while its workload is being stopped: the row leaves `hibernating` under the stop. */
const registerNow = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(StatusWrites, (w) => w.transition({ id, row: Transitions.registered, input: { url: null, agentCard: {}, deliveryMode: "push" } }))

const scriptedProvisioner = Layer.effect(Provisioner, Effect.map(Effect.context<StatusWrites>(), (context) => ({
  start: (spec: { readonly id: WorkspaceId.WorkspaceId }) => Effect.succeed({ url: null, instanceId: `m-${spec.id}` }),
  stop: (ref: { readonly id: WorkspaceId.WorkspaceId }) => script.stopFails
    ? Effect.fail(new Errors.ProvisionFailed({
      operation: "stop", workspaceId: ref.id, message: `cp provisioner: stop ${ref.id}: unexpected 503: busy`, retryable: true
    }))
    : script.registerDuringStop ? Effect.asVoid(Effect.orDie(Effect.provide(registerNow(ref.id), context))) : Effect.void,
  isRunning: () => Effect.succeed(true)
})))

/** Marks the backend as one with machines (the CP): stops go through the contract's retry. */
const machines = Layer.succeed(MachineConsole, { consoleOutput: () => Effect.succeed("") })

const inertLifecycle = Layer.succeed(WorkspaceLifecycle, {
  provisionInBackground: () => Effect.void,
  restartInBackground: () => Effect.void,
  stopRemoved: () => Effect.succeed([]),
  cancel: () => Effect.void
})

const common = Layer.merge(inertLifecycle, EventBusMemory.layer)

const service = Effect.map(Hibernation, (h) => h)
const statusOf = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(WorkspaceStore, (s) => s.get(id)), Option.map((w) => w.status))
const latestEvent = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(EventLog, (log) => log.latest(1, id)), (events) => events[0])
const beat = (id: WorkspaceId.WorkspaceId, activeTasks: number) =>
  Effect.flatMap(AgentRegistrations, (r) => r.heartbeat({
    id, errorRate: 0, sampleError: null, activeTasks, uptimeSeconds: 1, currentTask: null, monthlySpend: 0
  }))

type Route = "pause" | "resume" | "hibernate"
const run = (route: Route, id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(service, (h): Effect.Effect<unknown, { readonly _tag: string }> =>
    route === "pause" ? h.pause(id) : route === "resume" ? h.resume(id) : h.hibernate(id, false))

/** The status each route leaves each from-status in, or the 404 (`NotInLifecycleState`). */
const table: ReadonlyArray<readonly [WorkspaceStatus.WorkspaceStatus, Record<Route, WorkspaceStatus.WorkspaceStatus | "refused">]> = [
  ["provisioning", { pause: "paused", resume: "refused", hibernate: "refused" }],
  ["online", { pause: "paused", resume: "refused", hibernate: "hibernated" }],
  ["offline", { pause: "paused", resume: "refused", hibernate: "refused" }],
  ["degraded", { pause: "paused", resume: "refused", hibernate: "hibernated" }],
  ["failed", { pause: "paused", resume: "refused", hibernate: "refused" }],
  ["paused", { pause: "refused", resume: "provisioning", hibernate: "refused" }],
  ["hibernated", { pause: "paused", resume: "provisioning", hibernate: "refused" }],
  ["hibernating", { pause: "paused", resume: "refused", hibernate: "refused" }],
  ["awaiting_agent", { pause: "paused", resume: "refused", hibernate: "refused" }]
]

for (const db of databases) {
  describe(db.name, () => {
    const overContainers = Hibernation.Default.pipe(
      Layer.provide(Layer.merge(common, scriptedProvisioner)), Layer.provideMerge(common), Layer.provideMerge(db.persistence))
    const overMachines = Hibernation.Default.pipe(
      Layer.provide(Layer.mergeAll(common, scriptedProvisioner, machines)), Layer.provideMerge(common), Layer.provideMerge(db.persistence))
    layer(overContainers, { timeout: "60 seconds" })("over a container backend", (it) => {
      for (const [from, outcomes] of table) {
        for (const route of ["pause", "resume", "hibernate"] as const) {
          const expected = outcomes[route]
          it.effect(`${route} from ${from} → ${expected}`, () =>
            Effect.gen(function* () {
              const id = yield* create()
              yield* setStatus(id, from)
              const result = yield* Effect.either(run(route, id))
              if (expected === "refused") {
                expect(result._tag === "Left" && result.left).toMatchObject({ _tag: "NotInLifecycleState", operation: route })
                expect(yield* statusOf(id)).toEqual(Option.some(from))
              } else {
                expect(result._tag).toBe("Right")
                expect(yield* statusOf(id)).toEqual(Option.some(expected))
              }
            }))
        }
      }

      it.effect("unknown and removed workspaces are refused by every route", () =>
        Effect.gen(function* () {
          const gone = yield* create()
          yield* (yield* WorkspaceStore).markRemoved([{ id: gone, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }])
          for (const id of [WorkspaceId.unsafeMake(randomUUID()), gone]) {
            for (const route of ["pause", "resume", "hibernate"] as const) {
              expect(yield* Effect.flip(run(route, id))).toMatchObject({ _tag: "NotInLifecycleState", operation: route })
            }
          }
        }))

      it.effect("pause cascades to descendants not yet paused, stopping at a paused child; resume brings the paused ones back", () =>
        Effect.gen(function* () {
          const root = yield* create({ name: "root" })
          const child = yield* create({ name: "child", parentId: root })
          const grandchild = yield* create({ name: "grandchild", parentId: child })
          const pausedChild = yield* create({ name: "pausedChild", parentId: root })
          const underPaused = yield* create({ name: "underPaused", parentId: pausedChild })
          for (const id of [root, child, grandchild, underPaused]) yield* setStatus(id, "online")
          yield* setStatus(pausedChild, "paused")
          const h = yield* service
          expect(yield* h.pause(root)).toEqual({ count: 3 })
          for (const id of [root, child, grandchild]) expect(yield* statusOf(id)).toEqual(Option.some("paused"))
          expect(yield* statusOf(underPaused)).toEqual(Option.some("online"))
          expect(yield* latestEvent(grandchild)).toMatchObject({ type: "WORKSPACE_PAUSED", payload: { name: "grandchild", source: "pause" } })
          expect(Option.map(yield* (yield* WorkspaceStore).get(root), (w) => w.url)).toEqual(Option.some(""))
          // a paused ancestor refuses the resume of a descendant, naming it
          expect(yield* Effect.flip(h.resume(child))).toMatchObject({ _tag: "AncestorPaused", ancestorName: "root" })
          expect(yield* h.resume(root)).toEqual({ count: 4 })
          for (const id of [root, child, grandchild, pausedChild]) expect(yield* statusOf(id)).toEqual(Option.some("provisioning"))
          expect(yield* latestEvent(child)).toMatchObject({ type: "WORKSPACE_PROVISIONING", payload: { name: "child", source: "resume" } })
        }))

      it.effect("resume of a hibernated workspace wakes it (source wake)", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "sleeper" })
          yield* setStatus(id, "hibernated")
          expect(yield* (yield* service).resume(id)).toEqual({ count: 1 })
          expect(yield* latestEvent(id)).toMatchObject({ type: "WORKSPACE_PROVISIONING", payload: { name: "sleeper", source: "wake" } })
        }))

      it.effect("hibernate: busy without force (with the count), forced regardless, event WORKSPACE_HIBERNATED {name,tier}", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "busy", tier: 2 })
          yield* setStatus(id, "online")
          yield* beat(id, 2)
          const h = yield* service
          expect(yield* Effect.flip(h.hibernate(id, false))).toMatchObject({ _tag: "WorkspaceBusy", activeTasks: 2 })
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          yield* h.hibernate(id, true)
          expect(yield* statusOf(id)).toEqual(Option.some("hibernated"))
          expect(yield* latestEvent(id)).toMatchObject({ type: "WORKSPACE_HIBERNATED", payload: { name: "busy", tier: 2, source: "hibernate" } })
        }))

      it.effect("a container stop that fails puts the prior status back, with the reason in the event and the row", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "stuck" })
          yield* setStatus(id, "degraded")
          script.stopFails = true
          const failed = yield* Effect.flip((yield* service).hibernate(id, false)).pipe(Effect.ensuring(Effect.sync(() => { script.stopFails = false })))
          expect(failed).toMatchObject({ _tag: "HibernateFailed", id })
          const row = Option.getOrThrow(yield* (yield* WorkspaceStore).get(id))
          expect(row.status).toBe("degraded")
          expect(row.lastSampleError).toContain("stop failed")
          expect(yield* latestEvent(id)).toMatchObject({
            type: "WORKSPACE_HIBERNATE_FAILED", payload: { name: "stuck", restored_status: "degraded", source: "hibernate" }
          })
        }))

      it.effect("a register during the stop wins: the route does not say hibernated, the row stays online", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* setStatus(id, "online")
          script.registerDuringStop = true
          const refused = yield* Effect.flip((yield* service).hibernate(id, false))
            .pipe(Effect.ensuring(Effect.sync(() => { script.registerDuringStop = false })))
          expect(refused).toMatchObject({ _tag: "NotInLifecycleState", operation: "hibernate" })
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))

      it.effect("external workspaces: pause and resume record the status only, hibernate is refused", () =>
        Effect.gen(function* () {
          const id = yield* create({ runtime: Runtime.EXTERNAL, name: "ext" })
          yield* setStatus(id, "online")
          const h = yield* service
          expect(yield* Effect.flip(h.hibernate(id, true))).toMatchObject({ _tag: "NotInLifecycleState", operation: "hibernate" })
          yield* h.pause(id)
          expect(yield* statusOf(id)).toEqual(Option.some("paused"))
          yield* h.resume(id)
          expect(yield* statusOf(id)).toEqual(Option.some("awaiting_agent"))
        }))
    })

    layer(overMachines, { timeout: "60 seconds" })("over a CP backend", (it) => {
      it.effect("a CP refusing every stop: three attempts, a leak suspect, the prior status back, never hibernated", () =>
        Effect.gen(function* () {
          const id = yield* create({ name: "machine" })
          yield* setStatus(id, "online")
          yield* (yield* WorkspaceStore).setInstanceId(id, "m-1")
          script.stopFails = true
          const fiber = yield* Effect.fork(Effect.flip((yield* service).hibernate(id, false)))
          // the retry's waits (1 s, 2 s) are reached after database round trips: move the clock until it is done
          while (Option.isNone(yield* Fiber.poll(fiber))) yield* TestClock.adjust("1 second")
          const failed = yield* Fiber.join(fiber).pipe(Effect.ensuring(Effect.sync(() => { script.stopFails = false })))
          expect(failed).toMatchObject({ _tag: "HibernateFailed", id })
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          const suspects = (yield* (yield* LeakSuspects).listOpen).filter((s) => s.workspaceId === id)
          expect(suspects).toMatchObject([{ instanceId: "m-1", source: "Hibernate" }])
        }))

      it.effect("a CP stop that works hibernates and clears the machine id", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* setStatus(id, "online")
          yield* (yield* WorkspaceStore).setInstanceId(id, "m-2")
          yield* (yield* service).hibernate(id, false)
          const row = Option.getOrThrow(yield* (yield* WorkspaceStore).get(id))
          expect([row.status, row.instanceId]).toEqual(["hibernated", null])
        }))
    })

    const overNothing = Hibernation.Default.pipe(Layer.provide(common), Layer.provideMerge(common), Layer.provideMerge(db.persistence))
    layer(overNothing, { timeout: "60 seconds" })("without a backend", (it) => {
      it.effect("resume and hibernate of a container workspace are NoBackend, and nothing is written", () =>
        Effect.gen(function* () {
          const paused = yield* create()
          yield* setStatus(paused, "paused")
          expect((yield* Effect.flip((yield* service).resume(paused)))._tag).toBe("NoBackend")
          expect(yield* statusOf(paused)).toEqual(Option.some("paused"))
          const online = yield* create()
          yield* setStatus(online, "online")
          expect((yield* Effect.flip((yield* service).hibernate(online, false)))._tag).toBe("NoBackend")
          expect(yield* statusOf(online)).toEqual(Option.some("online"))
        }))
    })
  })
}
