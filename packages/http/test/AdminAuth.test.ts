import { TokenRepository } from "@berth/core"
import { LogCapture } from "@berth/adapters/testing"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as EdgeConfig from "../src/edge/EdgeConfig.js"
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

// Issue 17 point 1: the operator closes the tiers that administer a server without ADMIN_TOKEN.
describe("AdminAuth (§4.3) with BERTH_ADMIN_LEGACY_TIERS=0 and without ADMIN_TOKEN", () => {
  layer(testServer({ adminLegacyTiers: false, devEnv: true }), { timeout: "60 seconds" })((it) => {
    it.effect("no fresh-install, dev or workspace-token tier: every admin call gets the contract's 401", () =>
      Effect.gen(function* () {
        const fresh = yield* send("GET", "/events")
        expect([fresh.status, json(fresh)]).toEqual([401, { error: "admin auth required" }])
        const token = yield* tokenFor(yield* onlineWorkspace)
        const asWorkspace = yield* send("GET", "/events", { headers: bearer(token) })
        expect([asWorkspace.status, json(asWorkspace)]).toEqual([401, { error: "invalid admin auth token" }])
      }))
  })
})

describe("AdminAuth (§4.3) with BERTH_ADMIN_LEGACY_TIERS=0 and ADMIN_TOKEN", () => {
  layer(testServer({ adminLegacyTiers: false, adminToken: Option.some(Redacted.make("admin-secret")) }), { timeout: "60 seconds" })((it) => {
    it.effect("ADMIN_TOKEN is the admin bearer; a workspace token is not", () =>
      Effect.gen(function* () {
        expect((yield* send("GET", "/events", { headers: bearer("admin-secret") })).status).toBe(200)
        const token = yield* tokenFor(yield* onlineWorkspace)
        expect((yield* send("GET", "/events", { headers: bearer(token) })).status).toBe(401)
      }))
  })
})

describe("the start-up warning of a server without ADMIN_TOKEN", () => {
  const warningsFor = (env: Record<string, string>) =>
    Effect.gen(function* () {
      const capture = LogCapture.logCapture()
      yield* EdgeConfig.settings.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        Effect.provide(capture.layer)
      )
      return capture.lines.filter((l) => l.level === "WARN").map((l) => l.text)
    })

  it.live("names the fresh-install and deprecated tiers and how to close them", () =>
    Effect.gen(function* () {
      const [warning, ...others] = yield* warningsFor({})
      expect(others).toEqual([])
      expect(warning).toContain("fresh-install tier")
      expect(warning).toContain("deprecated tier")
      expect(warning).toContain("set ADMIN_TOKEN, or BERTH_ADMIN_LEGACY_TIERS=0")
    }))

  it.live("says admin calls are refused once the tiers are closed, and nothing with ADMIN_TOKEN set", () =>
    Effect.gen(function* () {
      expect(yield* warningsFor({ BERTH_ADMIN_LEGACY_TIERS: "0" })).toEqual([EdgeConfig.adminWarning(false)])
      expect(yield* warningsFor({ ADMIN_TOKEN: "admin-secret" })).toEqual([])
    }))
})
