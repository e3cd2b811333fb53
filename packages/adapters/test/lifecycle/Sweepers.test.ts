/** Delete stops (§5.5 rule 4), the orphan sweeper (§7.3), the CP orphan reconciler (§7.4) and their loops, over PGlite. */
import { NodeFileSystem } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import type { WorkspaceId } from "@berth/core"
import {
  AutoRestart, CpOrphanReconciler, Leadership, LeakSuspects, Loops, ManagedContainers, OrphanSweeper, Reprovisioning, StatusWrites, TokenRepository, WorkspaceId as WorkspaceIdModule, WorkspaceStore
} from "@berth/core"
import { expect, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue } from "effect"
import { randomUUID } from "node:crypto"
import { create, event, setStatus } from "../sql/RepositorySuite.js"
import * as TemplateCatalogueFs from "../../src/templates/TemplateCatalogueFs.js"
import { adjustOnceAsleep, configsDir, persistence, withLifecycle } from "./Harness.js"
import * as ScriptedProvisioner from "./ScriptedProvisioner.js"
import type { EngineState } from "./ScriptedProvisioner.js"
import { failure } from "./ScriptedProvisioner.js"

const generated = { _tag: "Generated", configYaml: "name: \"ws\"\n" } as const

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.flatMap(store.get(id), (o) => Effect.orDie(o)))

const markRemoved = (ids: ReadonlyArray<WorkspaceId.WorkspaceId>) =>
  Effect.flatMap(WorkspaceStore, (store) => store.markRemoved(ids.map((id) => ({ id, event: event("WORKSPACE_REMOVED", { source: "delete" }) }))))

/** A running container `name` and its config volume, as the engine would hold them. */
const planted = (name: string) => (s: EngineState): EngineState => ({
  ...s,
  containers: new Map(s.containers).set(name, { running: true, generation: 0, spec: null }),
  volumes: new Map(s.volumes).set(name.replace(/^ws-/, ""), { files: { "config.yaml": "x" }, sessionResets: 0 })
})

/** Ages every token of the workspace by `seconds` of database time (the sweeper's grace is database time). */
const ageTokens = (id: WorkspaceId.WorkspaceId, seconds: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`UPDATE workspace_auth_tokens SET created_at = now() - make_interval(secs => ${seconds}::float8) WHERE workspace_id = ${id}`)

layer(persistence, { timeout: "60 seconds" })("delete stops and orphan sweeps", (it) => {
  it.effect("stopRemoved: each stop on its own 30 s deadline, no retry; volumes go only after a successful stop", () =>
    Effect.gen(function* () {
      const ok = yield* create()
      const refused = yield* create()
      const hanging = yield* create()
      const external = yield* create({ runtime: "external" })
      yield* withLifecycle({
        kind: "docker",
        beforeStop: (ref) =>
          ref.id === refused || ref.id === external ? Effect.fail(failure("stop", ref.id, 503))
          : ref.id === hanging ? Effect.sleep("60 seconds")
          : Effect.void
      }, (h) => Effect.gen(function* () {
        for (const id of [ok, refused, hanging]) yield* h.engine.plant(planted(`ws-${id}`))
        yield* markRemoved([ok, refused, hanging, external])
        const stopping = yield* Effect.fork(h.lifecycle.stopRemoved(
          [ok, refused, hanging, external].map((id) => ({ id, runtime: id === external ? "external" : "claude-code", instanceId: null }))
        ))
        yield* adjustOnceAsleep("30 seconds")
        const failures = yield* Fiber.join(stopping)
        expect([...failures].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
          { id: refused, error: `${refused}: stop failed (HTTP 503)` },
          { id: hanging, error: `${hanging}: stop timed out after 30s` }
        ].sort((a, b) => a.id.localeCompare(b.id)))
        const state = yield* h.engine.state
        expect(state.containers.has(`ws-${ok}`)).toBe(false)
        expect(state.volumes.has(ok)).toBe(false)
        expect(state.volumes.has(refused)).toBe(true)
        expect(state.volumes.has(hanging)).toBe(true)
      }))
    }))

  it.effect("stopRemoved on the CP clears instance_id after a successful stop", () =>
    Effect.gen(function* () {
      const id = yield* create()
      yield* withLifecycle({ kind: "cp" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        const instanceId = (yield* row(id)).instanceId
        expect(instanceId).not.toBeNull()
        yield* markRemoved([id])
        expect(yield* h.lifecycle.stopRemoved([{ id, runtime: "claude-code", instanceId }])).toEqual([])
        expect((yield* row(id)).instanceId).toBeNull()
        expect((yield* h.engine.state).machines.size).toBe(0)
      }))
    }))

  it.effect("a delete during a restart cycle cancels the cycle: nothing is started after the stop", () =>
    Effect.gen(function* () {
      const stopping = yield* Queue.unbounded<void>()
      yield* withLifecycle({
        kind: "docker",
        beforeStop: (_ref, attempt) => (attempt === 1 ? Effect.zipRight(Queue.offer(stopping, undefined), Effect.sleep("10 seconds")) : Effect.void)
      }, (h) => Effect.gen(function* () {
        const id = yield* create()
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        yield* Reprovisioning.markProvisioning(yield* StatusWrites, yield* row(id), "user_restart")
        yield* h.lifecycle.restartInBackground(id, { config: { _tag: "ExistingVolume" }, resetSession: false })
        yield* Queue.take(stopping)
        yield* markRemoved([id])
        expect(yield* h.lifecycle.stopRemoved([{ id, runtime: "claude-code", instanceId: null }])).toEqual([])
        yield* h.awaitIdle
        const state = yield* h.engine.state
        expect([state.starts, state.containers.size]).toEqual([1, 0])
      }))
    }))

  it.effect("orphan sweeper: removed-row and row-less containers go, legacy names too; stale tokens of containerless workspaces are revoked", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const removed = yield* create()
      const removedStuck = yield* create()
      const legacyRemoved = yield* create()
      const wiped = WorkspaceIdModule.unsafeMake(randomUUID())
      const live = yield* create()
      const legacy = yield* create()
      const external = yield* create({ runtime: "external" })
      const gone = yield* create()
      const starting = yield* create()
      for (const id of [live, legacy, external, gone]) yield* setStatus(id, "online")
      yield* markRemoved([removed, removedStuck, legacyRemoved])
      const stale = new Map<WorkspaceId.WorkspaceId, string>()
      for (const id of [live, legacy, external, gone, starting]) {
        stale.set(id, (yield* tokens.issue(id)).token)
        yield* ageTokens(id, 10 * 60)
      }
      // Minted after the sweeper's candidate query would have run: younger than the grace, it survives.
      const fresh = (yield* tokens.issue(gone)).token
      const engine = yield* ScriptedProvisioner.make({
        kind: "docker",
        beforeRemoveManaged: (name) => (name === `ws-${removedStuck}` ? Effect.fail(failure("removeManaged", removedStuck, 500)) : Effect.void)
      })
      const legacyName = (id: string) => `ws-${id.slice(0, 12)}`
      const legacyWiped = legacyName(randomUUID())
      for (const name of [`ws-${removed}`, `ws-${removedStuck}`, `ws-${wiped}`, `ws-${live}`, legacyName(legacy), legacyName(legacyRemoved), legacyWiped]) {
        yield* engine.plant(planted(name))
      }
      yield* OrphanSweeper.pass.pipe(Effect.provide(engine.layer))
      const state = yield* engine.state
      const kept = [`ws-${removedStuck}`, `ws-${live}`, legacyName(legacy)]
      expect([...state.containers.keys()].sort()).toEqual([...kept].sort())
      // The scripted engine keys a volume by what follows `ws-`: only the kept containers' volumes are left.
      expect([...state.volumes.keys()].sort()).toEqual(kept.map((name) => name.replace(/^ws-/, "")).sort())
      const valid = (id: WorkspaceId.WorkspaceId, token: string) => tokens.validate(id, token)
      expect(yield* valid(live, stale.get(live) ?? "")).toBe(true)
      expect(yield* valid(legacy, stale.get(legacy) ?? "")).toBe(true)
      expect(yield* valid(external, stale.get(external) ?? "")).toBe(true)
      expect(yield* valid(starting, stale.get(starting) ?? "")).toBe(true)
      expect(yield* valid(gone, stale.get(gone) ?? "")).toBe(false)
      expect(yield* valid(gone, fresh)).toBe(true)
    }))

  it.effect("orphan sweeper: without the container listing no pass runs (it would revoke every stale token)", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const id = yield* create()
      yield* setStatus(id, "online")
      const token = (yield* tokens.issue(id)).token
      yield* ageTokens(id, 10 * 60)
      const engine = yield* ScriptedProvisioner.make({ kind: "docker" })
      const unlisted = ManagedContainers.of({ ...engine.containers, listManaged: Effect.fail(failure("list", "-", 500)) })
      yield* OrphanSweeper.pass.pipe(Effect.provide(Layer.succeed(ManagedContainers, unlisted)))
      expect(yield* tokens.validate(id, token)).toBe(true)
    }))

  it.effect("CP orphan reconciler: removed rows lose their machine, leak suspects are resolved; failures wait for the next cycle", () =>
    Effect.gen(function* () {
      const store = yield* WorkspaceStore
      const leaks = yield* LeakSuspects
      const removed = yield* create()
      const refusing = yield* create()
      const leaked = yield* create()
      yield* markRemoved([removed, refusing])
      yield* store.setInstanceId(removed, "i-removed")
      yield* store.setInstanceId(refusing, "i-refusing")
      yield* leaks.record({ workspaceId: leaked, instanceId: "i-leaked", source: "Restart", lastError: "503" })
      yield* leaks.record({ workspaceId: refusing, instanceId: "i-refusing-old", source: "Auto-restart", lastError: "503" })
      const engine = yield* ScriptedProvisioner.make({
        kind: "cp",
        beforeStop: (ref) => (ref.id === refusing ? Effect.fail(failure("stop", ref.id, 503)) : Effect.void)
      })
      yield* engine.plant((s) => ({ ...s, machines: new Map([["i-removed", removed], ["i-leaked", leaked], ["i-refusing", refusing]]) }))
      yield* CpOrphanReconciler.pass.pipe(Effect.provide(engine.layer))
      expect((yield* row(removed)).instanceId).toBeNull()
      expect((yield* row(refusing)).instanceId).toBe("i-refusing")
      expect([...(yield* engine.state).machines.keys()]).toEqual(["i-refusing"])
      const open = (yield* leaks.listOpen).filter((l) => [leaked, refusing].includes(l.workspaceId))
      expect(open.map((l) => l.instanceId)).toEqual(["i-refusing-old"])
    }))

  it.effect("Docker mode runs the orphan sweeper at start among the loops", () =>
    Effect.gen(function* () {
      const wiped = WorkspaceIdModule.unsafeMake(randomUUID())
      const engine = yield* ScriptedProvisioner.make({ kind: "docker" })
      yield* engine.plant(planted(`ws-${wiped}`))
      const passes = yield* Queue.unbounded<string>()
      const leadership = Layer.succeed(Leadership, { runAsLeader: (name, effect) => Effect.zipRight(effect, Queue.offer(passes, name)) })
      yield* Effect.scoped(Effect.gen(function* () {
        yield* Layer.build(Loops.layer.pipe(Layer.provide(Layer.mergeAll(
          leadership,
          engine.layer,
          Layer.succeed(AutoRestart, { request: () => Effect.void }),
          TemplateCatalogueFs.layerFresh(configsDir([])).pipe(Layer.provide(NodeFileSystem.layer))
        ))))
        expect(yield* Queue.take(passes)).toBe("orphan_sweeper")
      }))
      expect((yield* engine.state).containers.has(`ws-${wiped}`)).toBe(false)
    }))
})
