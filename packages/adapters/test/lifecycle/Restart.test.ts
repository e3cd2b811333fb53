/** Restart cycles, coalescing, CP stop retry outcomes and auto-restart skip rules (§5.6, §8.4) over PGlite. */
import type { NewWorkspace, WorkspaceId } from "@berth/core"
import { EventLog, LeakSuspects, Reprovisioning, StatusWrites, WorkspaceStore } from "@berth/core"
import { expect, layer } from "@effect/vitest"
import { Effect, Option, Queue } from "effect"
import { create, setStatus } from "../sql/RepositorySuite.js"
import type { Harness } from "./Harness.js"
import { adjustOnceAsleep, awaitSleeper, persistence, withLifecycle } from "./Harness.js"
import type { Script } from "./ScriptedProvisioner.js"
import { failure } from "./ScriptedProvisioner.js"

const generated = { _tag: "Generated", configYaml: "name: \"ws\"\n" } as const
const existingVolume = { config: { _tag: "ExistingVolume" }, resetSession: false } as const

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.flatMap(store.get(id), (o) => Effect.orDie(o)))

/** A workspace whose first provision has run (generation 1 of the engine for the first one). */
const provisioned = (h: Harness, overrides: Partial<NewWorkspace> = {}) =>
  Effect.gen(function* () {
    const id = yield* create(overrides)
    yield* h.lifecycle.provisionInBackground(id, generated)
    yield* h.awaitIdle
    return id
  })

/** What the restart route does before handing over (§5.6 rule 5), then the hand-over itself. */
const routeRestart = (h: Harness, id: WorkspaceId.WorkspaceId, options: { readonly resetSession: boolean } = existingVolume) =>
  Effect.gen(function* () {
    yield* Reprovisioning.markProvisioning(yield* StatusWrites, yield* row(id), "user_restart")
    yield* h.lifecycle.restartInBackground(id, { config: { _tag: "ExistingVolume" }, resetSession: options.resetSession })
  })

const generation = (h: Harness, id: WorkspaceId.WorkspaceId) =>
  Effect.map(h.engine.container(id), Option.match({ onNone: () => 0, onSome: (c) => c.generation }))

/** A Docker engine whose stops each take 10 s, each announced on `stopping` first. */
const slowStops = (stopping: Queue.Queue<void>): Script => ({
  kind: "docker",
  beforeStop: () => Effect.zipRight(Queue.offer(stopping, undefined), Effect.sleep("10 seconds"))
})

const openLeaks = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(LeakSuspects, (l) => l.listOpen), (rows) => rows.filter((r) => r.workspaceId === id))

layer(persistence, { timeout: "60 seconds" })("restart cycles and auto-restart", (it) => {
  it.effect("restart returns at once while the old container takes 10 s to stop; the cycle ends when the clock moves", () =>
    Effect.gen(function* () {
      const stopping = yield* Queue.unbounded<void>()
      yield* withLifecycle(slowStops(stopping), (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        yield* routeRestart(h, id)
        // Back from the hand-over while the stop sleeps on a clock nobody has moved yet.
        yield* Queue.take(stopping)
        expect(yield* generation(h, id)).toBe(1)
        expect([(yield* row(id)).status, (yield* row(id)).url]).toEqual(["provisioning", ""])
        yield* adjustOnceAsleep("10 seconds")
        yield* h.awaitIdle
        expect(yield* generation(h, id)).toBe(2)
        expect((yield* row(id)).url).toBe("http://127.0.0.1:20002")
      }))
    }))

  it.effect("requests arriving during a running cycle coalesce into exactly one follow-up cycle", () =>
    Effect.gen(function* () {
      const stopping = yield* Queue.unbounded<void>()
      yield* withLifecycle(slowStops(stopping), (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        yield* routeRestart(h, id)
        yield* Queue.take(stopping)
        // Two more manual requests and an auto-restart while the first cycle waits for its stop.
        yield* routeRestart(h, id, { resetSession: true })
        yield* routeRestart(h, id, { resetSession: false })
        yield* h.autoRestart.request(id, "auto_restart")
        yield* adjustOnceAsleep("10 seconds")
        yield* Queue.take(stopping)
        yield* adjustOnceAsleep("10 seconds")
        yield* h.awaitIdle
        expect(yield* Queue.size(stopping)).toBe(0)
        expect(yield* generation(h, id)).toBe(3)
        // The follow-up kept the session reset one of the coalesced requests asked for.
        expect((yield* h.engine.state).volumes.get(id)?.sessionResets).toBe(1)
      }))
    }))

  it.effect("CP stop exhaustion: LEAK-SUSPECT, a leak row with the old instance id, and the provision still happens", () =>
    Effect.gen(function* () {
      const attempts = yield* Queue.unbounded<number>()
      yield* withLifecycle({
        kind: "cp",
        beforeStop: (ref, attempt) => Effect.zipRight(Queue.offer(attempts, attempt), Effect.fail(failure("stop", ref.id, 503)))
      }, (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        const old = (yield* row(id)).instanceId
        yield* routeRestart(h, id)
        expect(yield* Queue.take(attempts)).toBe(1)
        yield* adjustOnceAsleep("1 second")
        expect(yield* Queue.take(attempts)).toBe(2)
        yield* adjustOnceAsleep("2 seconds")
        expect(yield* Queue.take(attempts)).toBe(3)
        yield* h.awaitIdle
        const leaks = yield* openLeaks(id)
        expect(leaks.map((l) => [l.instanceId, l.source, l.lastError])).toEqual([[old, "Restart", "scripted stop failure (503)"]])
        expect(h.logs()).toContain(`LEAK-SUSPECT cpProv.Stop workspace_id=${id} source=Restart attempts=3 last_err="scripted stop failure (503)"`)
        const ws = yield* row(id)
        expect(ws.instanceId).not.toBe(old)
        expect((yield* h.engine.state).machines.get(ws.instanceId ?? "")).toBe(id)
      }))
    }))

  it.effect("a CP stop that succeeds on the second attempt clears the old instance and records no leak", () =>
    Effect.gen(function* () {
      yield* withLifecycle({
        kind: "cp",
        beforeStop: (ref, attempt) => (attempt === 1 ? Effect.fail(failure("stop", ref.id, 502)) : Effect.void)
      }, (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        const old = (yield* row(id)).instanceId ?? ""
        yield* routeRestart(h, id)
        yield* adjustOnceAsleep("1 second")
        yield* h.awaitIdle
        expect(yield* openLeaks(id)).toEqual([])
        expect((yield* h.engine.state).machines.has(old)).toBe(false)
        expect(h.logs()).toContain(`Restart: cpProv.Stop(${id}) succeeded on attempt 2`)
      }))
    }))

  it.effect("shutdown mid-retry abandons the stop: no leak row and no provision", () =>
    Effect.gen(function* () {
      const attempts = yield* Queue.unbounded<number>()
      yield* withLifecycle({
        kind: "cp",
        beforeStop: (ref, attempt) => Effect.zipRight(Queue.offer(attempts, attempt), Effect.fail(failure("stop", ref.id, 503)))
      }, (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        const before = yield* row(id)
        yield* routeRestart(h, id)
        yield* Queue.take(attempts)
        // The retry's 1 s wait has begun: close the layer, as a shutdown would.
        yield* awaitSleeper("1 second")
        yield* h.close
        expect(yield* openLeaks(id)).toEqual([])
        expect(h.logs().some((l) => l.startsWith(`Restart: cpProv.Stop(${id}) abandoned mid-retry: ctx cancelled`))).toBe(true)
        expect((yield* row(id)).instanceId).toBe(before.instanceId)
        expect((yield* h.engine.state).starts).toBe(1)
      }))
    }))

  it.effect("an online workspace is marked provisioning (source auto_restart) and restarted", () =>
    Effect.gen(function* () {
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        const id = yield* provisioned(h)
        yield* setStatus(id, "online")
        yield* h.autoRestart.request(id, "auto_restart")
        yield* h.awaitIdle
        expect(yield* generation(h, id)).toBe(2)
        const events = yield* (yield* EventLog).latest(10, id)
        expect(events[0]?.type).toBe("WORKSPACE_PROVISIONING")
        expect(events[0]?.payload).toMatchObject({ source: "auto_restart", runtime: "claude-code" })
        expect((yield* row(id)).status).toBe("provisioning")
      }))
    }))

  it.effect("skips removed, paused, hibernated, external and children of a paused parent; no backend skips all", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const removed = yield* create()
      const paused = yield* create()
      const hibernated = yield* create()
      const external = yield* create({ runtime: "external" })
      const parent = yield* create({ name: "Paused Lead" })
      const child = yield* create({ parentId: parent })
      const grandchild = yield* create({ parentId: child })
      const healthy = yield* create()
      for (const [id, status] of [[removed, "removed"], [paused, "paused"], [hibernated, "hibernated"], [external, "online"], [parent, "paused"], [child, "online"], [grandchild, "online"], [healthy, "online"]] as const) {
        yield* setStatus(id, status)
      }
      const skipped = [removed, paused, hibernated, external, child, grandchild]
      const before = yield* Effect.forEach(skipped, (id) => Effect.map(log.latest(100, id), (e) => e.length))
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        // The healthy one's config volume survives from an earlier start.
        yield* h.engine.plant((s) => ({ ...s, volumes: new Map(s.volumes).set(healthy, { files: { "config.yaml": "x" }, sessionResets: 0 }) }))
        for (const id of [...skipped, healthy]) yield* h.autoRestart.request(id, "auto_restart")
        yield* h.awaitIdle
        const after = yield* Effect.forEach(skipped, (id) => Effect.map(log.latest(100, id), (e) => e.length))
        expect(after).toEqual(before)
        expect((yield* h.engine.state).containers.size).toBe(1)
        expect(Option.isSome(yield* h.engine.container(healthy))).toBe(true)
        expect(h.logs()).toContain(`Auto-restart: ${child} skipped (parent workspace "Paused Lead" is paused)`)
      }))
      yield* setStatus(healthy, "online")
      yield* withLifecycle({ kind: "none" }, (h) => Effect.gen(function* () {
        yield* h.autoRestart.request(healthy, "auto_restart")
        yield* h.awaitIdle
        expect((yield* row(healthy)).status).toBe("online")
        expect(h.logs()).toContain(`Auto-restart: ${healthy} skipped (no provisioning backend)`)
      }))
    }))
})
