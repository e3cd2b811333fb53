import { TokenRepository } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { bearer, onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "admin-secret-token"

describe("WorkspaceAuth (§4.2) on GET /workspaces/:id/state, ADMIN_TOKEN set", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.effect("no bearer → 401 missing workspace auth token", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const answer = yield* send("GET", `/workspaces/${id}/state`)
        expect(answer.status).toBe(401)
        expect(answer.text).toBe("{\"error\":\"missing workspace auth token\"}")
      }))

    it.effect("a live token bound to :id → the route answers", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const token = yield* tokenFor(id)
        const answer = yield* send("GET", `/workspaces/${id}/state`, { headers: bearer(token) })
        expect(answer.status).toBe(200)
        expect(json(answer)).toEqual({ workspace_id: id, status: "online", paused: false, deleted: false })
      }))

    it.effect("another workspace's token, a revoked token or garbage → 401 invalid workspace auth token", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const other = yield* onlineWorkspace
        const foreign = yield* tokenFor(other)
        const revoked = yield* tokenFor(id)
        yield* (yield* TokenRepository).revokeAll(id)
        for (const token of [foreign, revoked, "garbage"]) {
          const answer = yield* send("GET", `/workspaces/${id}/state`, { headers: bearer(token) })
          expect(answer.status).toBe(401)
          expect(json(answer)).toEqual({ error: "invalid workspace auth token" })
        }
      }))

    it.effect("ADMIN_TOKEN and a live org API token pass", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const org = yield* (yield* TokenRepository).issueOrg({ name: "ops", createdBy: null, orgId: null })
        for (const token of [admin, org.token]) {
          expect((yield* send("GET", `/workspaces/${id}/state`, { headers: bearer(token) })).status).toBe(200)
        }
      }))

    it.effect("the guard runs before id validation: a non-UUID id is 401 without a good bearer, 400 with one", () =>
      Effect.gen(function* () {
        const before = yield* send("GET", "/workspaces/not-a-uuid/state", { headers: bearer("garbage") })
        expect(before.status).toBe(401)
        const after = yield* send("GET", "/workspaces/not-a-uuid/state", { headers: bearer(admin) })
        expect(after.status).toBe(400)
        expect(JSON.parse(after.text)).toEqual({ error: "invalid workspace ID", detail: "id has a value that is not allowed" })
      }))

    it.effect("an upper-case id names the same workspace (ids compare lower-case)", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const token = yield* tokenFor(id)
        const answer = yield* send("GET", `/workspaces/${id.toUpperCase()}/state`, { headers: bearer(token) })
        expect(answer.status).toBe(200)
        expect(json(answer)).toMatchObject({ workspace_id: id })
      }))

    it.effect("unknown and removed workspaces → 404 {error, deleted:true}", () =>
      Effect.gen(function* () {
        const unknown = yield* send("GET", "/workspaces/00000000-0000-4000-8000-0000000000ff/state", { headers: bearer(admin) })
        expect(unknown.status).toBe(404)
        expect(json(unknown)).toEqual({ error: "workspace not found", deleted: true })
      }))
  })
})
