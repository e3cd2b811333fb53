import { TokenRepository } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { bearer, onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "admin-token-for-tests"

describe("workspace tokens (§5.12) and recorded events (AdminAuth)", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.effect("mint → 201 with the token once; list shows prefixes; revoke → 200 then 404", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const headers = bearer(yield* tokenFor(id))
        const minted = yield* send("POST", `/workspaces/${id}/tokens`, { headers })
        expect(minted.status).toBe(201)
        const body = json(minted) as Record<string, string>
        expect(body).toEqual({
          auth_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          workspace_id: id,
          message: "Save this token now — it cannot be retrieved again."
        })
        // the new token authenticates
        const listed = yield* send("GET", `/workspaces/${id}/tokens`, { headers: bearer(body["auth_token"]!) })
        expect(listed.status).toBe(200)
        const list = json(listed) as { tokens: Array<Record<string, unknown>>; count: number }
        expect(list.count).toBe(2)
        expect(list.tokens.map((t) => t["prefix"])).toContain(body["auth_token"]!.slice(0, 8))
        expect(Object.keys(list.tokens[0]!).sort()).toEqual(["created_at", "id", "last_used_at", "prefix"])
        const paged = json(yield* send("GET", `/workspaces/${id}/tokens?limit=1&offset=1`, { headers })) as { count: number }
        expect(paged.count).toBe(1)

        const tokenId = list.tokens[0]!["id"] as string
        const revoked = yield* send("DELETE", `/workspaces/${id}/tokens/${tokenId}`, { headers: bearer(admin) })
        expect(revoked.status).toBe(200)
        expect(json(revoked)).toEqual({ status: "revoked" })
        for (const again of [tokenId, "not-a-uuid", randomUUID()]) {
          const answer = yield* send("DELETE", `/workspaces/${id}/tokens/${again}`, { headers: bearer(admin) })
          expect(answer.status).toBe(404)
          expect(json(answer)).toEqual({ error: "token not found or already revoked" })
        }
      }))

    it.effect("the 51st live token → 429", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const tokens = yield* TokenRepository
        for (let i = 0; i < 50; i++) yield* tokens.issue(id)
        const answer = yield* send("POST", `/workspaces/${id}/tokens`, { headers: bearer(admin) })
        expect(answer.status).toBe(429)
        expect(json(answer)).toEqual({ error: "maximum 50 active tokens per workspace" })
      }))

    it.effect("minting for an unknown workspace → 404", () =>
      Effect.gen(function* () {
        const answer = yield* send("POST", `/workspaces/${randomUUID()}/tokens`, { headers: bearer(admin) })
        expect(answer.status).toBe(404)
        expect(json(answer)).toEqual({ error: "workspace not found" })
      }))

    it.effect("GET /events and /events/:workspaceId: AdminAuth, newest first, contract fields", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        expect(json(yield* send("GET", "/events"))).toEqual({ error: "admin auth required" })
        expect(json(yield* send("GET", "/events", { headers: bearer("wrong") }))).toEqual({ error: "invalid admin auth token" })
        // with ADMIN_TOKEN set, a workspace token is not an admin credential
        expect((yield* send("GET", "/events", { headers: bearer(yield* tokenFor(id)) })).status).toBe(401)
        const org = yield* Effect.flatMap(TokenRepository, (t) => t.issueOrg({ name: "ops", createdBy: null, orgId: null }))
        expect((yield* send("GET", "/events", { headers: bearer(org.token) })).status).toBe(200)

        const mine = yield* send("GET", `/events/${id}`, { headers: bearer(admin) })
        expect(mine.status).toBe(200)
        expect(json(mine)).toEqual([{
          id: expect.any(String),
          event_type: "WORKSPACE_ONLINE",
          workspace_id: id,
          payload: { source: "register" },
          created_at: expect.any(String)
        }])
        const all = json(yield* send("GET", "/events", { headers: bearer(admin) })) as Array<{ workspace_id: string }>
        expect(all[0]!.workspace_id).toBe(id)
        const bad = yield* send("GET", "/events/xyz", { headers: bearer(admin) })
        expect(bad.status).toBe(400)
        expect(json(bad)).toMatchObject({ error: "invalid workspace ID" })
      }))
  })
})
