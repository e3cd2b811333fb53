/**
 * The batched heartbeat statement (§5.11, §4.4): beats queued while the database is busy are written together, and
 * each beat still gets its own verdict and its own previous status and task.
 */
import { SqlClient } from "@effect/sql"
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import type { HeartbeatSample, WorkspaceId } from "@berth/core"
import { AgentRegistrations, TokenRepository, WorkspaceStore } from "@berth/core"
import type { Fiber } from "effect"
import { Deferred, Effect, Fiber as F, Option } from "effect"
import type { Services } from "../../src/sql/Persistence.js"
import { create, event, setStatus } from "./RepositorySuite.js"

const sample = (id: WorkspaceId.WorkspaceId, overrides: Partial<HeartbeatSample> = {}): HeartbeatSample => ({
  id, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 1, currentTask: null, monthlySpend: 0, ...overrides
})

/** Waits until every fiber is suspended: each has queued its beat and waits for its batch. */
export const allWaiting = (fibers: ReadonlyArray<Fiber.RuntimeFiber<unknown, unknown>>) =>
  Effect.repeat(Effect.zipRight(Effect.yieldNow(), Effect.forEach(fibers, F.status)), {
    until: (statuses) => statuses.every((s) => s._tag === "Suspended")
  })

/**
 * Runs `beats` while the database is held (a transaction locking their rows: on PGlite it also holds the one
 * connection), so they all queue behind the first batch; then lets go and returns the answers in order.
 */
const whileHeld = <A, E>(ids: ReadonlyArray<WorkspaceId.WorkspaceId>, beats: ReadonlyArray<Effect.Effect<A, E, AgentRegistrations>>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const locked = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const holder = yield* Effect.fork(sql.withTransaction(Effect.gen(function* () {
      yield* sql`SELECT id FROM workspaces WHERE id IN ${sql.in(ids)} FOR UPDATE`
      yield* Deferred.succeed(locked, undefined)
      yield* Deferred.await(release)
    })))
    yield* Deferred.await(locked)
    const fibers = yield* Effect.forEach(beats, (beat) => Effect.fork(beat))
    yield* allWaiting(fibers)
    yield* Deferred.succeed(release, undefined)
    yield* F.join(holder)
    return yield* Effect.forEach(fibers, F.join)
  })

export const heartbeatSuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("beats queued while the database is busy are written by one statement, each with its own sample", () =>
    Effect.gen(function* () {
      const registrations = yield* AgentRegistrations
      const sql = yield* SqlClient.SqlClient
      const ids = yield* Effect.forEach(Array.from({ length: 24 }), () => create())
      const answers = yield* whileHeld(ids, ids.map((id, i) => registrations.heartbeat(sample(id, { activeTasks: i, currentTask: `task-${i}` }))))
      expect(answers.map((a) => Option.map(a, (b) => [b.status, b.previousTask, b.gate, b.recorded]))).toEqual(
        ids.map(() => Option.some(["provisioning", null, "bootstrap", true])))
      const rows = yield* sql<{ id: string; activeTasks: number; currentTask: string; beat: string }>`
        SELECT id, active_tasks, current_task, last_heartbeat_at::text AS beat FROM workspaces WHERE id IN ${sql.in(ids)}`
      const byId = new Map(rows.map((r) => [r.id, r] as const))
      expect(ids.map((id) => [byId.get(id)?.activeTasks, byId.get(id)?.currentTask])).toEqual(ids.map((_, i) => [i, `task-${i}`]))
      // now() is the statement's transaction time: one batch in flight plus one queued behind it, never one per beat.
      expect(new Set(rows.map((r) => r.beat)).size).toBeLessThanOrEqual(2)
    }))

  it.effect("in one batch: unknown → none, removed → not written, a wrong bearer rejected and not written, the rest written", () =>
    Effect.gen(function* () {
      const store = yield* WorkspaceStore
      const registrations = yield* AgentRegistrations
      const tokens = yield* TokenRepository
      const [plain, guarded, other, gone] = yield* Effect.forEach(Array.from({ length: 4 }), () => create())
      yield* setStatus(plain!, "awaiting_agent")
      const token = (yield* tokens.issue(guarded!)).token
      yield* store.markRemoved([{ id: gone!, event: event("WORKSPACE_REMOVED") }])
      const unknown = crypto.randomUUID() as WorkspaceId.WorkspaceId
      const answers = yield* whileHeld([plain!, guarded!, other!, gone!], [
        registrations.heartbeat(sample(plain!, { currentTask: "a" })),
        registrations.heartbeat(sample(guarded!, { bearer: "not-the-token", activeTasks: 9 })),
        registrations.heartbeat(sample(guarded!, { bearer: token, activeTasks: 2 })),
        registrations.heartbeat(sample(gone!)),
        registrations.heartbeat(sample(unknown)),
        registrations.heartbeat(sample(other!, { bearer: token })),
        // a second beat of the same workspace sees the first one's task
        registrations.heartbeat(sample(plain!, { currentTask: "b" }))
      ])
      const verdicts = answers.map((a) => Option.map(a, (b) => [b.status, b.gate, b.recorded, b.previousTask]))
      expect(verdicts).toEqual([
        Option.some(["awaiting_agent", "bootstrap", true, null]),
        Option.some(["provisioning", "rejected", false, null]),
        Option.some(["provisioning", "authenticated", true, null]),
        Option.some(["removed", "bootstrap", false, null]),
        Option.none(),
        // a live token of another workspace is no token of this one, which holds none
        Option.some(["provisioning", "bootstrap", true, null]),
        Option.some(["awaiting_agent", "bootstrap", true, "a"])
      ])
      const stored = yield* Effect.forEach([plain!, guarded!, gone!], (id) => Effect.map(store.get(id), Option.getOrThrow))
      expect(stored.map((w) => [w.currentTask, w.activeTasks])).toEqual([["b", 0], [null, 2], [null, 0]])
      expect(stored[2]!.lastHeartbeatAt).toBeNull()
    }))

  it.effect("a beat with its token stamps last_used_at only when the stamp is over a minute old", () =>
    Effect.gen(function* () {
      const registrations = yield* AgentRegistrations
      const tokens = yield* TokenRepository
      const sql = yield* SqlClient.SqlClient
      const id = yield* create()
      const token = (yield* tokens.issue(id)).token
      const lastUsed = Effect.map(tokens.list(id, 10, 0), (list) => list[0]?.lastUsedAt ?? null)
      expect(yield* lastUsed).toBeNull()
      yield* registrations.heartbeat(sample(id, { bearer: token }))
      const first = yield* lastUsed
      expect(first).not.toBeNull()
      yield* registrations.heartbeat(sample(id, { bearer: token }))
      expect(yield* lastUsed).toEqual(first)
      yield* sql`UPDATE workspace_auth_tokens SET last_used_at = now() - interval '2 minutes' WHERE workspace_id = ${id}`
      const aged = yield* lastUsed
      yield* registrations.heartbeat(sample(id, { bearer: token }))
      expect((yield* lastUsed)!.getTime()).toBeGreaterThan(aged!.getTime())
    }))
}
