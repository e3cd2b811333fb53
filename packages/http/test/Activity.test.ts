import { ActivityFilter } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { bearer, onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import type { Answer } from "./support/TestServer.js"
import { json, send, testServer } from "./support/TestServer.js"

const setup = Effect.gen(function* () {
  const id = yield* onlineWorkspace
  const token = yield* tokenFor(id)
  return { id, headers: bearer(token) }
})

describe("activity (§5.10)", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("POST logs a row (source_id = :id, status ok) and GET lists it with the contract's fields", () =>
      Effect.gen(function* () {
        const { id, headers } = yield* setup
        const peer = randomUUID()
        const logged = yield* send("POST", `/workspaces/${id}/activity`, {
          headers,
          body: JSON.stringify({ activity_type: "a2a_send", method: "message/send", summary: "hi", target_id: peer, duration_ms: 12, metadata: { q: 1 } })
        })
        expect(logged.status).toBe(200)
        expect(json(logged)).toEqual({ status: "logged" })
        const list = yield* send("GET", `/workspaces/${id}/activity`, { headers })
        expect(list.status).toBe(200)
        const rows = json(list) as Array<Record<string, unknown>>
        expect(rows).toHaveLength(1)
        expect(rows[0]).toEqual({
          id: expect.any(String),
          workspace_id: id,
          activity_type: "a2a_send",
          source_id: id,
          target_id: peer,
          method: "message/send",
          summary: "hi",
          duration_ms: 12,
          status: "ok",
          error_detail: null,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          request_body: { q: 1 }
        })
        expect(rows[0]).not.toHaveProperty("response_body")
        expect(rows[0]).not.toHaveProperty("tool_trace")
      }))

    it.effect("POST refuses unknown types and foreign source ids", () =>
      Effect.gen(function* () {
        const { id, headers } = yield* setup
        const bad = yield* send("POST", `/workspaces/${id}/activity`, { headers, body: JSON.stringify({ activity_type: "gossip" }) })
        expect(bad.status).toBe(400)
        expect(json(bad)).toEqual({ error: ActivityFilter.invalidActivityTypeMessage })
        // Upstream's binding fails before the type check: absent or not a string → the undecodable-body answer.
        for (const body of [{}, { summary: "no type" }, { activity_type: 5 }, { activity_type: null }]) {
          const missing = yield* send("POST", `/workspaces/${id}/activity`, { headers, body: JSON.stringify(body) })
          expect(missing.status).toBe(400)
          expect(json(missing)).toMatchObject({ error: "invalid request body" })
        }
        const foreign = yield* send("POST", `/workspaces/${id}/activity`, { headers, body: JSON.stringify({ activity_type: "agent_log", source_id: randomUUID() }) })
        expect(foreign.status).toBe(403)
        expect(json(foreign)).toEqual({ error: "source_id must match authenticated workspace" })
        const list = yield* send("GET", `/workspaces/${id}/activity`, { headers })
        expect(json(list)).toEqual([])
      }))

    it.effect("GET filters: bad values → the contract's 400s; peer_id and before_ts filter; unknown since_id → 410", () =>
      Effect.gen(function* () {
        const { id, headers } = yield* setup
        const cases: ReadonlyArray<readonly [string, string]> = [
          ["source=robot", "source must be 'canvas' or 'agent'"],
          ["peer_id=nope", "peer_id must be a UUID"],
          ["before_ts=yesterday", "before_ts must be an RFC3339 timestamp (e.g. 2026-05-01T00:00:00Z)"],
          ["before_ts=2026-05-01T00:00:00", "before_ts must be an RFC3339 timestamp (e.g. 2026-05-01T00:00:00Z)"],
          ["since_secs=-5", "since_secs must be a positive integer"],
          ["since_id=abc", "since_id must be a UUID"]
        ]
        for (const [query, error] of cases) {
          const answer = yield* send("GET", `/workspaces/${id}/activity?${query}`, { headers })
          expect(answer.status, query).toBe(400)
          expect(json(answer)).toEqual({ error })
        }
        const peer = randomUUID()
        for (const target of [peer, randomUUID()]) {
          yield* send("POST", `/workspaces/${id}/activity`, { headers, body: JSON.stringify({ activity_type: "a2a_send", target_id: target }) })
        }
        const byPeer = json(yield* send("GET", `/workspaces/${id}/activity?peer_id=${peer}`, { headers })) as Array<{ target_id: string }>
        expect(byPeer.map((r) => r.target_id)).toEqual([peer])
        const before = json(yield* send("GET", `/workspaces/${id}/activity?before_ts=2000-01-01T00:00:00Z`, { headers }))
        expect(before).toEqual([])
        const gone = yield* send("GET", `/workspaces/${id}/activity?since_id=${randomUUID()}`, { headers })
        expect(gone.status).toBe(410)
        expect(json(gone)).toEqual({
          error: "since_id cursor not found (row may have been pruned or belongs to a different workspace); omit since_id to reset"
        })
      }))

    it.effect("?cursor pages the filtered list (next cursor in X-Next-Cursor), peer_id + cursor included; without it, nothing changes", () =>
      Effect.gen(function* () {
        const { id, headers } = yield* setup
        const peer = randomUUID()
        for (let i = 0; i < 7; i++) {
          const body = { activity_type: "a2a_send", summary: `m${i}`, ...(i % 2 === 0 ? { target_id: peer } : {}) }
          yield* send("POST", `/workspaces/${id}/activity`, { headers, body: JSON.stringify(body) })
        }
        const walk = (query: string) =>
          Effect.gen(function* () {
            const pages: Array<Array<{ id: string }>> = []
            let next: string | undefined = ""
            while (next !== undefined && pages.length < 50) {
              const page: Answer = yield* send("GET", `/workspaces/${id}/activity?${query}&limit=2&cursor=${encodeURIComponent(next)}`, { headers })
              expect(page.status).toBe(200)
              pages.push(json(page) as Array<{ id: string }>)
              next = page.headers["x-next-cursor"]
            }
            return pages
          })
        for (const query of ["type=a2a_send", `peer_id=${peer}`]) {
          const whole = yield* send("GET", `/workspaces/${id}/activity?${query}&limit=500`, { headers })
          expect(whole.headers["x-next-cursor"]).toBeUndefined()
          const pages = yield* walk(query)
          expect(pages.flat(), query).toEqual(json(whole))
          expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true)
        }
        expect((yield* walk(`peer_id=${peer}`)).flat()).toHaveLength(4)
        const bad = yield* send("GET", `/workspaces/${id}/activity?cursor=xyz`, { headers })
        expect([bad.status, json(bad)]).toEqual([400, { error: "invalid cursor" }])
        // the filters still answer their 400s in paged mode
        const badPeer = yield* send("GET", `/workspaces/${id}/activity?cursor=&peer_id=nope`, { headers })
        expect([badPeer.status, json(badPeer)]).toEqual([400, { error: "peer_id must be a UUID" }])
      }))

    it.effect("WorkspaceAuth guards both verbs", () =>
      Effect.gen(function* () {
        const { id } = yield* setup
        expect((yield* send("GET", `/workspaces/${id}/activity`)).status).toBe(401)
        expect((yield* send("POST", `/workspaces/${id}/activity`, { body: "{}" })).status).toBe(401)
      }))
  })
})
