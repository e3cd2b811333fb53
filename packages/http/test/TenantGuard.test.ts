import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as EdgeConfig from "../src/edge/EdgeConfig.js"
import * as TenantGuard from "../src/edge/TenantGuard.js"
import { json, send, testServer } from "./support/TestServer.js"

const org = "org-7f3a"
const id = "00000000-0000-4000-8000-00000000000a"

describe("TenantGuard (§4.1), MOLECULE_ORG_ID set, CANVAS_PROXY_URL set", () => {
  layer(testServer({ orgId: Option.some(org), canvasProxy: true, devEnv: true }), { timeout: "60 seconds" })((it) => {
    it.effect("allowlisted paths answer without the org header", () =>
      Effect.gen(function* () {
        for (const path of ["/health", "/buildinfo", "/metrics"]) {
          expect((yield* send("GET", path)).status).toBe(200)
        }
      }))

    it.effect("a wrong or missing org header → 404 with an EMPTY body, no JSON", () =>
      Effect.gen(function* () {
        for (const headers of [{}, { "x-molecule-org-id": "other-org" }, { "x-molecule-org-id": "" }]) {
          const answer = yield* send("GET", `/workspaces/${id}/state`, { headers })
          expect(answer.status).toBe(404)
          expect(answer.text).toBe("")
          expect(answer.headers["content-type"]).toBeUndefined()
        }
      }))

    it.effect("unknown paths and non-allowlisted documentation get the same bare 404", () =>
      Effect.gen(function* () {
        for (const path of ["/no/such/route", "/openapi.json", "/docs", "/health/", "/healthz"]) {
          const answer = yield* send("GET", path)
          expect(answer.status).toBe(404)
          expect(answer.text).toBe("")
        }
      }))

    it.effect("the allowlist is exact: /registry/update-card is not on it (POSTs too)", () =>
      Effect.gen(function* () {
        const answer = yield* send("POST", "/registry/update-card", { body: "{}" })
        expect(answer.status).toBe(404)
        expect(answer.text).toBe("")
      }))

    it.effect("the right X-Molecule-Org-Id passes to the route (then the route's own answer)", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", `/workspaces/${id}/state`, { headers: { "x-molecule-org-id": org } })
        // dev fail-open lets WorkspaceAuth through; the workspace does not exist
        expect(answer.status).toBe(404)
        expect(json(answer)).toEqual({ error: "workspace not found", deleted: true })
        expect(answer.headers["x-frame-options"]).toBe("DENY")
      }))

    it.effect("the workspace routes sit behind it too: bare 404 without the org, the route's answer with it", () =>
      Effect.gen(function* () {
        const routes: ReadonlyArray<readonly ["GET" | "POST" | "PUT" | "DELETE", string, string?]> = [
          ["POST", "/workspaces", JSON.stringify({ name: "t", external: true })],
          ["GET", "/workspaces"],
          ["GET", `/workspaces/${id}`],
          ["DELETE", `/workspaces/${id}`],
          ["POST", `/workspaces/${id}/restart`, "{}"],
          ["GET", `/workspaces/${id}/model`],
          ["PUT", `/workspaces/${id}/provider`, "{}"],
          ["GET", `/workspaces/${id}/secrets`],
          ["DELETE", `/workspaces/${id}/secrets/K`],
          ["GET", `/workspaces/${id}/terminal/diagnose`]
        ]
        for (const [method, path, body] of routes) {
          const refused = yield* send(method, path, body === undefined ? {} : { body })
          expect([refused.status, refused.text], `${method} ${path}`).toEqual([404, ""])
          const passed = yield* send(method, path, { headers: { "x-molecule-org-id": org }, ...(body === undefined ? {} : { body }) })
          expect(passed.headers["content-type"], `${method} ${path}`).toContain("application/json")
          expect(passed.headers["x-frame-options"]).toBe("DENY")
        }
      }))

    it.effect("Fly-Replay-Src state= equal to the org id passes", () =>
      Effect.gen(function* () {
        const pass = yield* send("GET", "/openapi.json", { headers: { "fly-replay-src": `instance=abc;region=iad;state=${org}` } })
        expect(pass.status).toBe(200)
        const fail = yield* send("GET", "/openapi.json", { headers: { "fly-replay-src": "instance=abc;state=nope" } })
        expect(fail.status).toBe(404)
      }))

    it.effect("same-origin canvas: Referer under http(s)://<host>/ or Origin equal to it passes", () =>
      Effect.gen(function* () {
        const host = "tenant.example.com"
        for (const headers of [
          { host, referer: `https://${host}/canvas/page` },
          { host, referer: `http://${host}` },
          { host, origin: `https://${host}` }
        ]) {
          expect((yield* send("GET", "/openapi.json", { headers })).status).toBe(200)
        }
        for (const headers of [
          { host, referer: `https://${host}.evil.com/` },
          { host, origin: `https://${host}/` },
          { host, referer: `https://other.example.com/` }
        ]) {
          expect((yield* send("GET", "/openapi.json", { headers })).status).toBe(404)
        }
      }))
  })
})

describe("TenantGuard rules (pure)", () => {
  const base = { ...EdgeConfig.defaults, orgId: Option.some(org) }
  it("inactive without an org id", () => {
    expect(TenantGuard.allows({ ...base, orgId: Option.none() }, "/anything", {})).toBe(true)
  })
  it("/cp/ prefix passes, /cp alone does not", () => {
    expect(TenantGuard.allows(base, "/cp/workspaces/x", {})).toBe(true)
    expect(TenantGuard.allows(base, "/cp", {})).toBe(false)
  })
  it("the canvas rule needs CANVAS_PROXY_URL", () => {
    expect(TenantGuard.allows(base, "/x", { host: "h", origin: "https://h" })).toBe(false)
    expect(TenantGuard.allows({ ...base, canvasProxy: true }, "/x", { host: "h", origin: "https://h" })).toBe(true)
    expect(TenantGuard.allows({ ...base, canvasProxy: true }, "/x", { host: "", origin: "https://" })).toBe(false)
  })
  it("Fly-Replay-Src is a ;-separated k=v list", () => {
    expect(Option.getOrNull(TenantGuard.flyReplayState("a=1; state=xyz ;b=2"))).toBe("xyz")
    expect(Option.isNone(TenantGuard.flyReplayState("mystate=xyz"))).toBe(true)
  })
})
