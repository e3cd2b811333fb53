/** Idempotency keys and keyset pages: Berth additions, on both databases. */
import { SqlClient } from "@effect/sql"
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import type { ActivityFilter as Filter, Page, WorkspaceId } from "@berth/core"
import { ActivityFilter, ActivityRepository, IdempotencyKeys, ListPages, WorkspaceStore } from "@berth/core"
import { Effect, Either } from "effect"
import { randomUUID } from "node:crypto"
import type { Services } from "../../src/sql/Persistence.js"
import { create } from "./RepositorySuite.js"

/** Every page from the start, following `nextCursor` until the last one. */
const allPages = <A, E, R>(page: (cursor: string | null) => Effect.Effect<Page<A>, E, R>) =>
  Effect.gen(function* () {
    const pages: Array<ReadonlyArray<A>> = []
    let cursor: string | null = null
    do {
      const next: Page<A> = yield* page(cursor)
      pages.push(next.items)
      cursor = next.nextCursor
    } while (cursor !== null && pages.length < 1000)
    return pages
  })

export const idempotencyPagesSuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("idempotency keys: claim, in progress, mismatch, replay (encrypted at rest), release, expiry", () =>
    Effect.gen(function* () {
      const keys = yield* IdempotencyKeys
      const sql = yield* SqlClient.SqlClient
      const key = randomUUID()
      expect(yield* keys.claim("create", key, "fp-1")).toEqual({ _tag: "Claimed" })
      expect(yield* keys.claim("create", key, "fp-1")).toEqual({ _tag: "InProgress" })
      expect(yield* keys.claim("create", key, "fp-2")).toEqual({ _tag: "Mismatch" })
      // the same key in another scope is another key
      expect(yield* keys.claim("other", key, "fp-2")).toEqual({ _tag: "Claimed" })
      const answer = { status: 201, body: { id: "w", connection: { auth_token: "plain-token-value" } } }
      yield* keys.complete("create", key, answer)
      expect(yield* keys.claim("create", key, "fp-1")).toEqual({ _tag: "Replay", answer })
      expect(yield* keys.claim("create", key, "fp-2")).toEqual({ _tag: "Mismatch" })
      const raw = yield* sql<{ stored: string }>`
        SELECT encode(answer, 'base64') AS stored FROM idempotency_keys WHERE key = ${key} AND scope = 'create'`
      expect(Buffer.from(raw[0]?.stored ?? "", "base64").toString("latin1")).not.toContain("plain-token-value")
      // a released claim can be taken again; a completed answer is never released
      yield* keys.release("other", key)
      expect(yield* keys.claim("other", key, "fp-3")).toEqual({ _tag: "Claimed" })
      yield* keys.release("create", key)
      expect(yield* keys.claim("create", key, "fp-1")).toEqual({ _tag: "Replay", answer })
      // an abandoned claim (no answer after 5 minutes) is taken over; an answer expires after 24 hours
      yield* sql`UPDATE idempotency_keys SET created_at = now() - interval '6 minutes' WHERE key = ${key} AND scope = 'other'`
      expect(yield* keys.claim("other", key, "fp-4")).toEqual({ _tag: "Claimed" })
      yield* sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ${key} AND scope = 'create'`
      expect(yield* keys.claim("create", key, "fp-5")).toEqual({ _tag: "Claimed" })
      // expired keys are swept by later claims
      const stale = randomUUID()
      yield* keys.claim("create", stale, "x")
      yield* sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ${stale}`
      yield* keys.claim("create", randomUUID(), "y")
      expect(yield* sql`SELECT 1 FROM idempotency_keys WHERE key = ${stale}`).toHaveLength(0)
    }))

  it.effect("workspace pages: keyset order equals the list, microseconds and ties neither repeat nor skip rows", () =>
    Effect.gen(function* () {
      const pages = yield* ListPages
      const store = yield* WorkspaceStore
      const sql = yield* SqlClient.SqlClient
      const ids = yield* Effect.all(Array.from({ length: 5 }, (_, i) => create({ name: `page-${i}` })))
      // Same millisecond, different microseconds; and an exact tie broken by id.
      const at = ["2031-01-01 00:00:00.000001+00", "2031-01-01 00:00:00.000002+00", "2031-01-01 00:00:00.000002+00"]
      yield* Effect.forEach(at, (t, i) => sql`UPDATE workspaces SET created_at = ${t}::timestamptz WHERE id = ${ids[i]!}`)
      const listed = (yield* store.list).map((w) => w.id)
      for (const size of [1, 2, 3, 500]) {
        const walked = yield* allPages((cursor) => pages.workspaces(cursor, size))
        expect(walked.flat().map((w) => w.id)).toEqual(listed)
        expect(walked.slice(0, -1).every((p) => p.length === size)).toBe(true)
      }
      const bad = yield* Effect.either(pages.workspaces("not-a-cursor", 10))
      expect(Either.isLeft(bad) && bad.left).toMatchObject({ _tag: "InvalidInput", message: "invalid cursor" })
    }))

  it.effect("activity pages: the filtered list, descending and (with since_id) ascending", () =>
    Effect.gen(function* () {
      const pages = yield* ListPages
      const repo = yield* ActivityRepository
      const sql = yield* SqlClient.SqlClient
      const id: WorkspaceId.WorkspaceId = yield* create()
      const rows = yield* Effect.forEach(Array.from({ length: 7 }, (_, i) => i), (i) =>
        repo.insert({
          workspaceId: id, activityType: i % 2 === 0 ? "agent_log" : "a2a_send", sourceId: null, targetId: null,
          method: null, summary: `row-${i}`, requestBody: null, responseBody: null, toolTrace: null, durationMs: null,
          status: "ok", errorDetail: null
        }))
      // distinct instants, so `since_id` (strictly after) keeps exactly the later rows
      yield* Effect.forEach(rows, (row, i) =>
        sql`UPDATE activity_logs SET created_at = now() - make_interval(secs => ${60 - i}::float8) WHERE id = ${row.id}::uuid`)
      const walk = (q: Record<string, string>) =>
        Effect.gen(function* () {
          const whole: Filter.ActivityFilter = yield* ActivityFilter.parse({ ...q, limit: "500" })
          const small: Filter.ActivityFilter = yield* ActivityFilter.parse({ ...q, limit: "2" })
          const walked = yield* allPages((cursor) => pages.activity(id, small, cursor))
          expect(walked.flat().map((a) => a.id)).toEqual((yield* repo.list(id, whole)).map((a) => a.id))
          return walked.flat().length
        })
      expect(yield* walk({})).toBe(7)
      expect(yield* walk({ type: "agent_log" })).toBe(4)
      expect(yield* walk({ since_id: rows[1]!.id })).toBe(5)
      const gone = yield* Effect.either(pages.activity(id, yield* ActivityFilter.parse({ since_id: randomUUID() }), null))
      expect(Either.isLeft(gone) && gone.left._tag).toBe("ActivityCursorNotFound")
    }))
}
