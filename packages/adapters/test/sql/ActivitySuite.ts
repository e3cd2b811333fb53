/** Activity filters (§5.10), retention (§7.6), the event log (§5.12) and the small stores. */
import { SqlClient } from "@effect/sql"
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import type { NewActivity, WorkspaceId } from "@berth/core"
import { ActivityFilter, ActivityRepository, EventLog, LeakSuspects, WorkspaceConfigStore } from "@berth/core"
import { Effect, Either, Option } from "effect"
import type { Services } from "../../src/sql/Persistence.js"
import { create, event } from "./RepositorySuite.js"

const activity = (workspaceId: WorkspaceId.WorkspaceId, overrides: Partial<NewActivity> = {}): NewActivity => ({
  workspaceId, activityType: "agent_log", sourceId: null, targetId: null, method: null, summary: null,
  requestBody: null, responseBody: null, toolTrace: null, durationMs: null, status: "ok", errorDetail: null,
  ...overrides
})

const filter = (q: Record<string, string>) => ActivityFilter.parse(q)

export const activitySuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("activity: insert, filters, since_id cursor, retention", () =>
    Effect.gen(function* () {
      const repo = yield* ActivityRepository
      const sql = yield* SqlClient.SqlClient
      const id = yield* create()
      const peer = yield* create()
      const first = yield* repo.insert(activity(id, { summary: "first", requestBody: { nested_key: 1 } }))
      const second = yield* repo.insert(activity(id, { activityType: "a2a_send", sourceId: id, targetId: peer, durationMs: 12 }))
      const third = yield* repo.insert(activity(id, { activityType: "a2a_receive", sourceId: peer, status: "error" }))
      expect(first).toMatchObject({ summary: "first", requestBody: { nested_key: 1 }, responseBody: null, status: "ok" })
      expect((yield* repo.list(id, yield* filter({}))).map((a) => a.id)).toEqual([third.id, second.id, first.id])
      expect((yield* repo.list(id, yield* filter({ source: "canvas" }))).map((a) => a.id)).toEqual([first.id])
      expect((yield* repo.list(id, yield* filter({ source: "agent" }))).map((a) => a.id)).toEqual([third.id, second.id])
      expect((yield* repo.list(id, yield* filter({ peer_id: peer }))).map((a) => a.id)).toEqual([third.id, second.id])
      expect((yield* repo.list(id, yield* filter({ type: "a2a_send" }))).map((a) => a.id)).toEqual([second.id])
      expect((yield* repo.list(id, yield* filter({ since_id: first.id }))).map((a) => a.id)).toEqual([second.id, third.id])
      expect((yield* repo.list(id, yield* filter({ limit: "1" }))).map((a) => a.id)).toEqual([third.id])
      expect((yield* repo.list(id, yield* filter({ before_ts: second.createdAt.toISOString() }))).map((a) => a.id)).toEqual([first.id])
      const foreign = yield* Effect.either(repo.list(peer, yield* filter({ since_id: first.id })))
      expect(Either.isLeft(foreign) && foreign.left._tag).toBe("ActivityCursorNotFound")
      yield* sql`UPDATE activity_logs SET created_at = now() - interval '8 days' WHERE id = ${first.id}::uuid`
      expect((yield* repo.list(id, yield* filter({ since_secs: "3600" }))).map((a) => a.id)).toEqual([third.id, second.id])
      expect(yield* repo.deleteOlderThan(7)).toBeGreaterThanOrEqual(1)
      expect((yield* repo.list(id, yield* filter({}))).map((a) => a.id)).toEqual([third.id, second.id])
    }))

  it.effect("event log: latest newest first, replay after a seq", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const id = yield* create()
      const a = yield* log.record(id, event("AGENT_CARD_UPDATED", { agent_card: { x: 1 } }))
      const b = yield* log.record(id, event("WORKSPACE_ONLINE", { source: "register" }))
      const latest = yield* log.latest(100, id)
      expect(latest.map((e) => e.seq).slice(0, 2)).toEqual([b.seq, a.seq])
      expect((yield* log.after(id, a.seq)).map((e) => e.id)).toEqual([b.id])
      expect((yield* log.latest(1)).length).toBe(1)
      expect(a.payload).toEqual({ agent_card: { x: 1 } })
    }))

  it.effect("leak suspects and workspace config", () =>
    Effect.gen(function* () {
      const leaks = yield* LeakSuspects
      const config = yield* WorkspaceConfigStore
      const id = yield* create()
      yield* leaks.record({ workspaceId: id, instanceId: "i-9", source: "Restart", lastError: "503" })
      const open = (yield* leaks.listOpen).filter((l) => l.workspaceId === id)
      expect(open.map((l) => [l.instanceId, l.source, l.lastError])).toEqual([["i-9", "Restart", "503"]])
      yield* leaks.resolve(open[0]?.id ?? "")
      expect((yield* leaks.listOpen).some((l) => l.workspaceId === id)).toBe(false)
      expect(yield* config.get(id)).toEqual(Option.none())
      yield* config.put(id, { name: "n", runtime: "hermes", tier: 2, template: "" })
      expect(yield* config.get(id)).toEqual(Option.some({ name: "n", runtime: "hermes", tier: 2, template: "" }))
    }))
}
