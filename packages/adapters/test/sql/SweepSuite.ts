/** Set-based sweep statements (§7): each returns exactly the qualifying ids and records one event per row. */
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { WorkspaceRepository } from "@berth/core"
import { Effect } from "effect"
import type { Services } from "../../src/sql/Persistence.js"
import { backdate, create, setStatus } from "./RepositorySuite.js"

export const sweepSuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("remote pass: only stale online/degraded external rows become awaiting_agent", () =>
    Effect.gen(function* () {
      const repo = yield* WorkspaceRepository
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
      const events = (yield* repo.markStaleExternalAwaiting(90)).filter((e) => mine.has(e.workspaceId as never))
      expect(events.map((e) => e.workspaceId).sort()).toEqual([stale, staleDegraded].sort())
      expect(events.find((e) => e.workspaceId === stale)).toMatchObject({
        type: "WORKSPACE_AWAITING_AGENT", payload: { name: "stale", external: true, source: "health_sweep" }
      })
      const statuses = (yield* repo.refs([...mine])).map((r) => [r.id, r.status] as const)
      expect(new Map(statuses)).toEqual(new Map([
        [stale, "awaiting_agent"], [staleDegraded, "awaiting_agent"], [fresh, "online"], [container, "online"],
        [provisioning, "provisioning"], [paused, "paused"]
      ]))
      // A second pass finds nothing more of ours.
      expect((yield* repo.markStaleExternalAwaiting(90)).filter((e) => mine.has(e.workspaceId as never))).toEqual([])
    }))

  it.effect("liveness: only online/degraded non-external rows with an old heartbeat go offline", () =>
    Effect.gen(function* () {
      const repo = yield* WorkspaceRepository
      const old = yield* create()
      const recent = yield* create()
      const external = yield* create({ runtime: "external" })
      const hibernated = yield* create()
      for (const id of [old, recent, external]) yield* setStatus(id, "online")
      yield* setStatus(hibernated, "hibernated")
      for (const id of [old, recent, external, hibernated]) {
        yield* repo.heartbeat({ id, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 1, currentTask: null, monthlySpend: 0 })
      }
      for (const id of [old, external, hibernated]) yield* backdate(id, "last_heartbeat_at", 200)
      const mine = new Set([old, recent, external, hibernated])
      const events = (yield* repo.markLivenessOffline(180)).filter((e) => mine.has(e.workspaceId as never))
      expect(events.map((e) => [e.workspaceId, e.type, e.payload])).toEqual([[old, "WORKSPACE_OFFLINE", { source: "liveness" }]])
      const containers = (yield* repo.onlineContainerWorkspaces).map((r) => r.id).filter((id) => mine.has(id))
      expect(containers).toEqual([recent])
    }))

  it.effect("removed rows holding an instance id are listed until it is cleared", () =>
    Effect.gen(function* () {
      const repo = yield* WorkspaceRepository
      const id = yield* create()
      yield* repo.setInstanceId(id, "i-123")
      yield* repo.markRemoved([{ id, event: { type: "WORKSPACE_REMOVED", payload: {} } }])
      expect((yield* repo.removedWithInstance).filter((r) => r.id === id).map((r) => r.instanceId)).toEqual(["i-123"])
      yield* repo.setInstanceId(id, null)
      expect((yield* repo.removedWithInstance).some((r) => r.id === id)).toBe(false)
    }))
}
