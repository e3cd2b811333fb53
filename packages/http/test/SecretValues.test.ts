/**
 * `GET /workspaces/:id/secrets/values` (§5.8) as the Python SDK's `RemoteAgentClient.pull_secrets` sends it (only
 * `Authorization: Bearer <its token>`), and the canonical `/settings/secrets` next to `/admin/secrets`.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { WorkspaceId } from "@berth/core"
import { clientWith } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { startAgent } from "./support/LoopbackAgent.js"
import type { Answer } from "./support/TestServer.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "values-admin"
const asAdmin = bearer(admin)

const pullSecrets = (id: string, token: string) => send("GET", `/workspaces/${id}/secrets/values`, { headers: bearer(token) })

describe("secret values and /settings/secrets (§5.8)", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.scoped("pull_secrets: globals overridden by the workspace's own, decrypted, for its own token only", () =>
      Effect.gen(function* () {
        const agent = yield* startAgent(admin, "puller")
        const other = yield* startAgent(admin, "other")
        expect(json(yield* pullSecrets(agent.id, agent.token))).toEqual({})

        yield* send("PUT", "/settings/secrets", { headers: asAdmin, body: JSON.stringify({ key: "SHARED_KEY", value: "global" }) })
        yield* send("PUT", "/settings/secrets", { headers: asAdmin, body: JSON.stringify({ key: "OVERRIDDEN", value: "global" }) })
        yield* send("POST", `/workspaces/${agent.id}/secrets`, { headers: asAdmin, body: JSON.stringify({ key: "OVERRIDDEN", value: "own" }) })
        const pulled = yield* pullSecrets(agent.id, agent.token)
        expect(pulled.status).toBe(200)
        expect(json(pulled)).toEqual({ SHARED_KEY: "global", OVERRIDDEN: "own" })
        // the typed client decodes the same map
        const typed = yield* clientWith(agent.token)
        expect(yield* typed.secretValues.values({ path: { id: WorkspaceId.unsafeMake(agent.id) } })).toEqual({ SHARED_KEY: "global", OVERRIDDEN: "own" })
        // the other workspace gets the globals only
        expect(json(yield* pullSecrets(other.id, other.token))).toEqual({ SHARED_KEY: "global", OVERRIDDEN: "global" })

        // neither another workspace's token nor the admin token reads a workspace's values
        expect([(yield* pullSecrets(agent.id, other.token)).status, json(yield* pullSecrets(agent.id, other.token))])
          .toEqual([401, { error: "invalid workspace auth token" }])
        expect([(yield* pullSecrets(agent.id, admin)).status, json(yield* pullSecrets(agent.id, admin))])
          .toEqual([401, { error: "invalid workspace auth token" }])
        const anonymous = yield* send("GET", `/workspaces/${agent.id}/secrets/values`)
        expect([anonymous.status, json(anonymous)]).toEqual([401, { error: "missing workspace auth token" }])
        yield* send("DELETE", "/settings/secrets/SHARED_KEY", { headers: asAdmin })
        yield* send("DELETE", "/settings/secrets/OVERRIDDEN", { headers: asAdmin })
      }))

    it.scoped("a workspace without a live token is read with the admin token; unknown and removed ids differ", () =>
      Effect.gen(function* () {
        const created = yield* send("POST", "/workspaces", { headers: asAdmin, body: JSON.stringify({ name: "tokenless", external: true, url: "http://localhost:9" }) })
        const id = (json(created) as { readonly id: string }).id
        expect(json(yield* pullSecrets(id, admin))).toEqual({})
        const unknown = yield* pullSecrets("00000000-0000-4000-8000-00000000beef", admin)
        expect([unknown.status, json(unknown)]).toEqual([404, { error: "workspace not found" }])
        yield* send("DELETE", `/workspaces/${id}`, { headers: asAdmin })
        expect((yield* pullSecrets(id, admin)).status).toBe(410)
      }))

    it.scoped("a value that does not decrypt refuses the whole bundle with a 500 naming the key", () =>
      Effect.gen(function* () {
        const agent = yield* startAgent(admin, "broken")
        yield* send("POST", `/workspaces/${agent.id}/secrets`, { headers: asAdmin, body: JSON.stringify({ key: "FINE", value: "ok" }) })
        yield* send("POST", `/workspaces/${agent.id}/secrets`, { headers: asAdmin, body: JSON.stringify({ key: "BROKEN", value: "x" }) })
        // stored as AES-GCM (version 1) while this server has no key: it cannot decrypt
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE workspace_secrets SET encryption_version = 1 WHERE workspace_id = ${agent.id} AND key = 'BROKEN'`
        const answer = yield* pullSecrets(agent.id, agent.token)
        expect(answer.status).toBe(500)
        expect(json(answer)).toEqual({
          error: "one or more secrets failed to decrypt; refusing to return partial bundle",
          failed_keys: ["workspace:BROKEN"]
        })
        expect(answer.text).not.toContain("ok")
      }))

    it.effect("/settings/secrets and /admin/secrets are one store: PUT and POST save, GET lists, DELETE removes", () =>
      Effect.gen(function* () {
        expect((yield* send("GET", "/settings/secrets")).status).toBe(401)
        const put = yield* send("PUT", "/settings/secrets", { headers: asAdmin, body: JSON.stringify({ key: "VIA_SETTINGS", value: "s" }) })
        expect(json(put)).toEqual({ status: "saved", key: "VIA_SETTINGS" })
        const post = yield* send("POST", "/settings/secrets", { headers: asAdmin, body: JSON.stringify({ key: "VIA_POST", value: "p" }) })
        expect(json(post)).toEqual({ status: "saved", key: "VIA_POST" })
        yield* send("POST", "/admin/secrets", { headers: asAdmin, body: JSON.stringify({ key: "VIA_ADMIN", value: "a" }) })
        const keys = (answer: Answer) => (json(answer) as ReadonlyArray<{ readonly key: string }>).map((s) => s.key)
        const listed = yield* send("GET", "/settings/secrets", { headers: asAdmin })
        expect(keys(listed)).toEqual(["VIA_ADMIN", "VIA_POST", "VIA_SETTINGS"])
        expect(listed.text).not.toMatch(/"[spa]"/)
        expect(keys(yield* send("GET", "/admin/secrets", { headers: asAdmin }))).toEqual(keys(listed))
        expect(json(yield* send("DELETE", "/settings/secrets/VIA_ADMIN", { headers: asAdmin }))).toEqual({ status: "deleted", key: "VIA_ADMIN" })
        expect(json(yield* send("DELETE", "/admin/secrets/VIA_SETTINGS", { headers: asAdmin }))).toEqual({ status: "deleted", key: "VIA_SETTINGS" })
        const gone = yield* send("DELETE", "/settings/secrets/VIA_ADMIN", { headers: asAdmin })
        expect([gone.status, json(gone)]).toEqual([404, { error: "secret not found" }])
        const missing = yield* send("PUT", "/settings/secrets", { headers: asAdmin, body: JSON.stringify({ key: "K" }) })
        expect([missing.status, json(missing)]).toEqual([400, { error: "key and value are required" }])
        yield* send("DELETE", "/settings/secrets/VIA_POST", { headers: asAdmin })
      }))
  })
})
