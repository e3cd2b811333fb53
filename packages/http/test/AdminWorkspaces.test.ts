import { EventLog, StatusWrites, TokenRepository, Transitions, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { bearer, onlineWorkspace } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "admin-token"

describe("bootstrap-failed, test-token and console (§5.12)", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.effect("provisioning → failed with the error and tail; a second report changes nothing", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const store = yield* WorkspaceStore
        const statusWrites = yield* StatusWrites
        yield* statusWrites.transition({ id, row: Transitions.userRestart, input: { name: "ws", tier: 3, runtime: "claude-code" } })
        const path = `/admin/workspaces/${id}/bootstrap-failed`
        const body = JSON.stringify({ error: "boot failed", log_tail: "line 1\nline 2" })
        expect((yield* send("POST", path, { body })).status).toBe(401)
        const first = yield* send("POST", path, { body, headers: bearer(admin) })
        expect(first.status).toBe(200)
        expect(json(first)).toEqual({ ok: true })
        const row = Option.getOrThrow(yield* store.get(id))
        expect(row.status).toBe("failed")
        expect(row.lastSampleError).toBe("boot failed\nline 1\nline 2")
        const event = (yield* Effect.flatMap(EventLog, (l) => l.latest(1, id)))[0]!
        expect(event.type).toBe("WORKSPACE_PROVISION_FAILED")
        expect(event.payload).toEqual({ error: "boot failed", log_tail: "line 1\nline 2", source: "bootstrap_watcher" })
        const second = yield* send("POST", path, { body, headers: bearer(admin) })
        expect(json(second)).toEqual({ ok: true, no_change: true })
        const bad = yield* send("POST", "/admin/workspaces/nope/bootstrap-failed", { body, headers: bearer(admin) })
        expect(json(bad)).toMatchObject({ error: "invalid workspace ID" })
      }))

    it.effect("test-token: ADMIN_TOKEN required, mints an extra live token, unknown → 404", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const path = `/admin/workspaces/${id}/test-token`
        const refused = yield* send("GET", path, { headers: bearer("wrong") })
        expect(refused.status).toBe(401)
        expect(json(refused)).toEqual({ error: "admin auth required" })
        const minted = yield* send("GET", path, { headers: bearer(admin) })
        expect(minted.status).toBe(200)
        const body = json(minted) as { auth_token: string; workspace_id: string }
        expect(body.workspace_id).toBe(id)
        expect(yield* Effect.flatMap(TokenRepository, (t) => t.validate(id, body.auth_token))).toBe(true)
        const unknown = yield* send("GET", `/admin/workspaces/${randomUUID()}/test-token`, { headers: bearer(admin) })
        expect(unknown.status).toBe(404)
      }))

    it.effect("console outside CP mode → 501 (AdminAuth first)", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        expect((yield* send("GET", `/workspaces/${id}/console`)).status).toBe(401)
        const answer = yield* send("GET", `/workspaces/${id}/console`, { headers: bearer(admin) })
        expect(answer.status).toBe(501)
        expect(json(answer)).toEqual({ error: "console output requires the control-plane provisioner" })
      }))
  })
})
