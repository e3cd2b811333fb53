/**
 * The idle sweep (§2.4) on the stores, driven by `TestClock`: idleness is keyed on reported work, not on liveness —
 * a workspace beating with an active task never hibernates, one beating idle hibernates once with one event, two
 * replicas' passes over one database hibernate it once, and external workspaces or an unset threshold never do.
 */
import { EventBusMemory, TemplateCatalogueFs } from "@berth/adapters"
import type { WorkspaceId } from "@berth/core"
import {
  AgentRegistrations, EventLog, IdleHibernation, Provisioner, Restart, Runtime, SweepSettings, WorkspaceLifecycle, WorkspaceStore,
  defaultSweepSettings
} from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { NodeFileSystem } from "@effect/platform-node"
import { Clock, Effect, Layer, Option, TestClock } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { databases } from "./Harness.js"
import { create, setStatus } from "./Rows.js"

const IDLE_MINUTES = 5

const templates = TemplateCatalogueFs.layerFresh(fs.mkdtempSync(path.join(os.tmpdir(), "berth-idle-"))).pipe(Layer.provide(NodeFileSystem.layer))

/** A container backend whose stops always work (the failure paths are the route's tests). */
const provisioner = Layer.succeed(Provisioner, {
  start: (spec) => Effect.succeed({ url: null, instanceId: `m-${spec.id}` }),
  stop: () => Effect.void,
  isRunning: () => Effect.succeed(true)
})

/** Restart (the wake) hands its cycle to the lifecycle, which returns at once here. */
const inertLifecycle = Layer.succeed(WorkspaceLifecycle, {
  provisionInBackground: () => Effect.void,
  restartInBackground: () => Effect.void,
  stopRemoved: () => Effect.succeed([]),
  cancel: () => Effect.void
})

const settings = (minutes: number | null) =>
  Layer.succeed(SweepSettings, { ...defaultSweepSettings, hibernationIdleMinutes: minutes })

/** A heartbeat at the test clock's "now" reporting `activeTasks`. */
const beat = (id: WorkspaceId.WorkspaceId, activeTasks: number) =>
  Effect.gen(function* () {
    const observedAt = new Date(yield* Clock.currentTimeMillis)
    yield* (yield* AgentRegistrations).heartbeat({
      id, errorRate: 0, sampleError: null, activeTasks, uptimeSeconds: 1, currentTask: null, monthlySpend: 0, observedAt
    })
  })

const statusOf = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(WorkspaceStore, (s) => s.get(id)), Option.map((w) => w.status))

/** The recorded events of `id`, oldest first, as `type source`. */
const events = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(EventLog, (log) => log.latest(100, id)), (all) =>
    [...all].reverse().map((e) => `${e.type} ${String(e.payload["source"])}`))

/** Beats every minute for `minutes`, with a sweep pass after each. */
const beatAndSweep = (id: WorkspaceId.WorkspaceId, activeTasks: number, minutes: number) =>
  Effect.forEach(Array.from({ length: minutes }), () =>
    Effect.gen(function* () {
      yield* beat(id, activeTasks)
      yield* TestClock.adjust("1 minute")
      yield* IdleHibernation.pass
    }), { discard: true })

const onlineWorkspace = (overrides: Parameters<typeof create>[0] = {}) =>
  Effect.tap(create(overrides), (id) => setStatus(id, "online"))

for (const db of databases) {
  describe(db.name, () => {
    const base = Layer.mergeAll(EventBusMemory.layer, provisioner, settings(IDLE_MINUTES), inertLifecycle, templates,
      Layer.succeed(Runtime.RuntimeAllowlist, Runtime.fallbackAllowlist))
    const withDefault = Restart.Default.pipe(Layer.provideMerge(base), Layer.provideMerge(db.persistence))
    layer(withDefault, { timeout: "60 seconds" })("idle sweep with a default threshold", (it) => {
      it.effect("beating with an active task for twice the idle time: never hibernated", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "busy" })
          yield* beatAndSweep(id, 1, 2 * IDLE_MINUTES)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          expect((yield* events(id)).filter((e) => e.includes("HIBERNAT"))).toEqual([])
        }))

      it.effect("beating idle: hibernated once, with one claim and one WORKSPACE_HIBERNATED (source idle_sweep)", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "idle" })
          yield* beatAndSweep(id, 0, IDLE_MINUTES - 1)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          yield* beatAndSweep(id, 0, 1 + IDLE_MINUTES)
          expect(yield* statusOf(id)).toEqual(Option.some("hibernated"))
          expect((yield* events(id)).filter((e) => e.includes("HIBERNAT"))).toEqual([
            "WORKSPACE_HIBERNATING idle_sweep", "WORKSPACE_HIBERNATED idle_sweep"
          ])
        }))

      it.effect("work resets the idle stretch: idle, then a task, then idle again counts from the new start", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "intermittent" })
          yield* beatAndSweep(id, 0, IDLE_MINUTES - 1)
          yield* beatAndSweep(id, 1, 1)
          yield* beatAndSweep(id, 0, IDLE_MINUTES - 1)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))

      it.effect("two replicas' passes at once over one database hibernate it once", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "contended" })
          yield* beat(id, 0)
          yield* TestClock.adjust(`${IDLE_MINUTES + 1} minutes`)
          yield* Effect.all([IdleHibernation.pass, IdleHibernation.pass], { concurrency: 2 })
          expect((yield* events(id)).filter((e) => e.startsWith("WORKSPACE_HIBERNATED"))).toHaveLength(1)
          expect(yield* statusOf(id)).toEqual(Option.some("hibernated"))
        }))

      it.effect("a re-provisioned workspace starts a new idle stretch: beats while hibernated do not count after the wake", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "woken" })
          yield* setStatus(id, "hibernated")
          yield* beat(id, 0)
          yield* TestClock.adjust(`${2 * IDLE_MINUTES} minutes`)
          yield* (yield* Restart).restart(id, { options: Effect.succeed({ template: "", reapply: false, reset: false }), resetQuery: false })
          yield* setStatus(id, "online")
          yield* IdleHibernation.pass
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))

      it.effect("an external workspace is never hibernated by the sweep", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "remote", runtime: Runtime.EXTERNAL })
          yield* beatAndSweep(id, 0, 2 * IDLE_MINUTES)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))
    })

    const off = Layer.mergeAll(EventBusMemory.layer, provisioner, settings(null)).pipe(Layer.provideMerge(db.persistence))
    layer(off, { timeout: "60 seconds" })("idle sweep without a threshold", (it) => {
      it.effect("no default and none of its own: idle forever, never hibernated", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "unbounded" })
          yield* beatAndSweep(id, 0, 3 * IDLE_MINUTES)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
        }))

      it.effect("its own hibernation_idle_minutes (set as PATCH does) hibernates it with no server default", () =>
        Effect.gen(function* () {
          const id = yield* onlineWorkspace({ name: "own-threshold" })
          yield* (yield* WorkspaceStore).update(id, { hibernationIdleMinutes: 2 })
          yield* beatAndSweep(id, 0, 1)
          expect(yield* statusOf(id)).toEqual(Option.some("online"))
          yield* beatAndSweep(id, 0, 2)
          expect(yield* statusOf(id)).toEqual(Option.some("hibernated"))
        }))
    })
  })
}
