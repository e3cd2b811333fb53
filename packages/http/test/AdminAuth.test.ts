import { TokenRepository } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { bearer, onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

// One database: the fresh-install rule is checked first, before any token exists in it.
describe("AdminAuth (§4.3) without ADMIN_TOKEN", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("fresh install → allow; once a workspace token lives, a bearer is required; any live workspace token passes", () =>
      Effect.gen(function* () {
        expect((yield* send("GET", "/events")).status).toBe(200)
        const id = yield* onlineWorkspace
        const token = yield* tokenFor(id)
        const missing = yield* send("GET", "/events")
        expect(missing.status).toBe(401)
        expect(json(missing)).toEqual({ error: "admin auth required" })
        // cookies never authenticate
        expect((yield* send("GET", "/events", { headers: { cookie: `token=${token}` } })).status).toBe(401)
        const wrong = yield* send("GET", "/events", { headers: bearer("nope") })
        expect(json(wrong)).toEqual({ error: "invalid admin auth token" })
        expect((yield* send("GET", "/events", { headers: bearer(token) })).status).toBe(200)
        const org = yield* Effect.flatMap(TokenRepository, (t) => t.issueOrg({ name: "ops", createdBy: null, orgId: null }))
        expect((yield* send("GET", "/events", { headers: bearer(org.token) })).status).toBe(200)
      }))
  })
})
