/** Set-based sweep statements (§7): each returns exactly the qualifying ids and records one event per row. */
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { AgentRegistrations, StatusWrites, SweepCandidates, Transitions, WorkspaceId, WorkspaceStore } from "@berth/core"
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import type { Services } from "../../src/sql/Persistence.js"
import { backdate, create, event, setStatus } from "./RepositorySuite.js"

/** Inserts a row with exactly this id (register upserts unknown ids), so tests can place ids around a prefix. */
const rowWithId = (id: string) =>
  Effect.flatMap(AgentRegistrations, (registrations) =>
    registrations.register({ id: WorkspaceId.unsafeMake(id), url: null, agentCard: {}, deliveryMode: "push", event: event("WORKSPACE_ONLINE") }))

export const sweepSuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("remote pass: only stale online/degraded external rows become awaiting_agent", () =>
    Effect.gen(function* () {
      const statusWrites = yield* StatusWrites
      const candidates = yield* SweepCandidates
      const stale = yield* create({ runtime: "external", name: "stale" })
      const staleDegraded = yield* create({ runtime: "external", name: "stale-degraded" })
      const fresh = yield* create({ runtime: "external" })
      const container = yield* create({ runtime: "claude-code" })
      const provisioning = yield* create({ runtime: "external" })
      const paused = yield* create({ runtime: "external" })
      yield* setStatus(stale, "online")
      yield* setStatus(staleDegraded, "degraded")
      yield* setStatus(fresh, "online")
      yield* setStatus(container, "online")
      yield* setStatus(paused, "paused")
      // No heartbeat ever: COALESCE falls back to updated_at.
      for (const id of [stale, staleDegraded, container, provisioning, paused]) yield* backdate(id, "updated_at", 300)
      const mine = new Set([stale, staleDegraded, fresh, container, provisioning, paused])
      const events = (yield* statusWrites.transitionWhere({ rule: Transitions.remoteStale, staleAfterSeconds: 90 })).filter((e) => mine.has(e.workspaceId as never))
      expect(events.map((e) => e.workspaceId).sort()).toEqual([stale, staleDegraded].sort())
      expect(events.find((e) => e.workspaceId === stale)).toMatchObject({
        type: "WORKSPACE_AWAITING_AGENT", payload: { name: "stale", external: true, source: "health_sweep" }
      })
      const statuses = (yield* candidates.refs([...mine])).map((r) => [r.id, r.status] as const)
      expect(new Map(statuses)).toEqual(new Map([
        [stale, "awaiting_agent"], [staleDegraded, "awaiting_agent"], [fresh, "online"], [container, "online"],
        [provisioning, "provisioning"], [paused, "paused"]
      ]))
      // A second pass finds nothing more of ours.
      expect((yield* statusWrites.transitionWhere({ rule: Transitions.remoteStale, staleAfterSeconds: 90 })).filter((e) => mine.has(e.workspaceId as never))).toEqual([])
    }))

  it.effect("liveness: only online/degraded non-external rows with an old heartbeat go offline", () =>
    Effect.gen(function* () {
      const statusWrites = yield* StatusWrites
      const registrations = yield* AgentRegistrations
      const candidates = yield* SweepCandidates
      const old = yield* create()
      const recent = yield* create()
      const external = yield* create({ runtime: "external" })
      const hibernated = yield* create()
      for (const id of [old, recent, external]) yield* setStatus(id, "online")
      yield* setStatus(hibernated, "hibernated")
      for (const id of [old, recent, external, hibernated]) {
        yield* registrations.heartbeat({ id, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 1, currentTask: null, monthlySpend: 0 })
      }
      for (const id of [old, external, hibernated]) yield* backdate(id, "last_heartbeat_at", 200)
      const mine = new Set([old, recent, external, hibernated])
      const events = (yield* statusWrites.transitionWhere({ rule: Transitions.livenessOffline, staleAfterSeconds: 180 })).filter((e) => mine.has(e.workspaceId as never))
      expect(events.map((e) => [e.workspaceId, e.type, e.payload])).toEqual([[old, "WORKSPACE_OFFLINE", { source: "liveness" }]])
      const containers = (yield* candidates.onlineContainerWorkspaces).map((r) => r.id).filter((id) => mine.has(id))
      expect(containers).toEqual([recent])
    }))

  it.effect("transitionWhere compiles the row it is given: its from, runtime scope, clock, threshold and payload", () =>
    Effect.gen(function* () {
      const store = yield* WorkspaceStore
      const statusWrites = yield* StatusWrites
      const registrations = yield* AgentRegistrations
      const candidates = yield* SweepCandidates
      // A row no use case has, so the statement's every part must come from it (and `removed` is still never left).
      const rule: Transitions.SweepTransition = {
        name: "testQuietDegradedExternal", from: ["degraded", "removed"], to: "offline", event: "WORKSPACE_OFFLINE",
        source: "health_sweep", runtimes: "external", clock: "lastHeartbeat",
        payload: { constants: { probe: 7 }, columns: ["name"] }
      }
      const quiet = yield* create({ runtime: "external", name: "quiet" })
      const neverBeaten = yield* create({ runtime: "external" })
      const online = yield* create({ runtime: "external" })
      const container = yield* create()
      const gone = yield* create({ runtime: "external" })
      for (const id of [quiet, neverBeaten, container, gone]) yield* setStatus(id, "degraded")
      yield* setStatus(online, "online")
      for (const id of [quiet, online, container, gone]) {
        yield* registrations.heartbeat({ id, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 1, currentTask: null, monthlySpend: 0 })
      }
      yield* store.markRemoved([{ id: gone, event: event("WORKSPACE_REMOVED") }])
      for (const id of [quiet, online, container, gone]) yield* backdate(id, "last_heartbeat_at", 200)
      yield* backdate(neverBeaten, "updated_at", 500)
      const mine = new Set([quiet, neverBeaten, online, container, gone])
      const run = (staleAfterSeconds: number) =>
        Effect.map(statusWrites.transitionWhere({ rule, staleAfterSeconds }), (events) => events.filter((e) => mine.has(e.workspaceId as never)))
      expect(yield* run(300)).toEqual([])
      const events = yield* run(150)
      expect(events.map((e) => [e.workspaceId, e.type, e.payload])).toEqual([
        [quiet, "WORKSPACE_OFFLINE", { probe: 7, name: "quiet", source: "health_sweep" }]
      ])
      const statuses = new Map((yield* candidates.refs([...mine])).map((r) => [r.id, r.status] as const))
      expect(statuses).toEqual(new Map([
        [quiet, "offline"], [neverBeaten, "degraded"], [online, "online"], [container, "degraded"], [gone, "removed"]
      ]))
    }))

  it.effect("removed rows holding an instance id are listed until it is cleared", () =>
    Effect.gen(function* () {
      const store = yield* WorkspaceStore
      const candidates = yield* SweepCandidates
      const id = yield* create()
      yield* store.setInstanceId(id, "i-123")
      yield* store.markRemoved([{ id, event: { type: "WORKSPACE_REMOVED", payload: {} } }])
      expect((yield* candidates.removedWithInstance).filter((r) => r.id === id).map((r) => r.instanceId)).toEqual(["i-123"])
      yield* store.setInstanceId(id, null)
      expect((yield* candidates.removedWithInstance).some((r) => r.id === id)).toBe(false)
    }))

  it.effect("legacy-name lookup: every row starting with a 12-character prefix, whatever its status; nothing else", () =>
    Effect.gen(function* () {
      const store = yield* WorkspaceStore
      const candidates = yield* SweepCandidates
      // A prefix ending in "5" so its neighbours ("…4", "…6") sit just below and just above its uuid range.
      const stem = `${randomBytes(4).toString("hex")}-${randomBytes(1).toString("hex")}`
      const prefix = `${stem}5`
      const lowest = `${prefix}0-0000-0000-000000000000`
      const highest = `${prefix}f-ffff-ffff-ffffffffffff`
      const below = `${stem}4f-ffff-ffff-ffffffffffff`
      const above = `${stem}60-0000-0000-000000000000`
      for (const id of [lowest, highest, below, above]) yield* rowWithId(id)
      yield* store.markRemoved([{ id: WorkspaceId.unsafeMake(highest), event: event("WORKSPACE_REMOVED") }])
      const other = yield* create()
      const found = yield* candidates.refsByIdPrefix([prefix.toUpperCase(), prefix, other.slice(0, 12), "not-a-prefix", "0123456789ab"])
      expect(found.map((r) => `${r.id} ${r.status}`).sort()).toEqual(
        [`${lowest} online`, `${highest} removed`, `${other} provisioning`].sort()
      )
      expect(yield* candidates.refsByIdPrefix([])).toEqual([])
    }))
}
