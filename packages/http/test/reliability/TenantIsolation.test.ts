/**
 * Issue 10, tenant isolation (§4.1), generated from the route table: with `MOLECULE_ORG_ID` set, every route that is
 * not allowlisted answers a missing, wrong, empty or differently-cased org header with a bare 404 (empty body,
 * no content type) — even with a valid admin token, on every declared method and for paths next to the routes — while
 * the allowlisted routes answer exactly as they do with the right header.
 */
import { Testing } from "@berth/adapters/testing"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import * as TenantGuard from "../../src/edge/TenantGuard.js"
import { testServer } from "../support/TestServer.js"
import { postgres } from "./Databases.js"
import type { Answer } from "./Exchange.js"
import { exchange } from "./Exchange.js"
import type { Route } from "./RouteTable.js"
import { apiRoutes, fill, rawRoutes } from "./RouteTable.js"

const url = await Testing.freshPostgresDatabase("berth_rel_tenant")
const org = "org-7f3a9c"
const admin = "tenant-admin-token"

/** Org proofs that must not pass: none, another org, and near misses of the right one (HTTP itself trims padding). */
const wrongProofs: ReadonlyArray<Readonly<Record<string, string>>> = [
  {},
  { "x-molecule-org-id": "org-other" },
  { "x-molecule-org-id": "" },
  { "x-molecule-org-id": org.toUpperCase() },
  { "x-molecule-org-id": `${org},${org}` },
  { "fly-replay-src": "instance=abc;state=org-other" },
  { "fly-replay-src": `state${org}` },
  // the canvas rule needs CANVAS_PROXY_URL, which is unset here
  { host: "tenant.example.com", origin: "https://tenant.example.com" }
]
const rightProof = { "x-molecule-org-id": org }

const pathOf = (route: Route) => fill(route.template, () => randomUUID())
const bodyOf = (route: Route) => (route.method === "GET" || route.method === "DELETE" ? {} : { body: "{}" })
const isBare404 = (answer: Answer) => answer.status === 404 && answer.text === "" && answer.headers["content-type"] === undefined

const routes = [...apiRoutes, ...rawRoutes]
const allowlisted = (route: Route) => TenantGuard.allowlist.has(route.template)

describe.skipIf(url === undefined)("tenant isolation generated from the route table (Postgres)", () => {
  layer(testServer({ orgId: Option.some(org), adminToken: Option.some(Redacted.make(admin)), rateLimit: 0 }, postgres(url ?? "")), {
    timeout: "120 seconds"
  })((it) => {
    const guarded = routes.filter((r) => !allowlisted(r))
    it.effect(`${guarded.length} routes × ${wrongProofs.length} wrong org proofs × with and without admin token → bare 404`, () =>
      Effect.gen(function* () {
        expect(routes.length).toBeGreaterThan(20)
        let tried = 0
        for (const route of guarded) {
          const path = pathOf(route)
          for (const proof of wrongProofs) {
            for (const auth of [{}, { authorization: `Bearer ${admin}` }]) {
              const answer = yield* exchange({ method: route.method, path, headers: { ...proof, ...auth }, ...bodyOf(route) })
              const where = `${route.method} ${path} ${JSON.stringify(proof)} → ${answer.status} ${answer.text.slice(0, 80)}`
              expect(isBare404(answer), where).toBe(true)
              tried++
            }
          }
          // With the right org header the route itself answers (whatever it says, it is not the guard's bare 404).
          const headers = { ...rightProof, authorization: `Bearer ${admin}` }
          const passed = yield* exchange({ method: route.method, path, headers, ...bodyOf(route) })
          expect(isBare404(passed), `${route.method} ${path} with the org header → ${passed.status}`).toBe(false)
        }
        console.info(`[reliability] tenant isolation: ${tried} wrong-org requests, all bare 404`)
      }))

    it.effect("paths next to the routes (unknown, trailing slash, extra segment, other case) get the same bare 404", () =>
      Effect.gen(function* () {
        for (const route of routes) {
          const path = pathOf(route)
          for (const near of [`${path}/`, `${path}/extra`, path.toUpperCase(), `/v1${path}`]) {
            if (TenantGuard.allowlist.has(near)) continue
            const answer = yield* exchange({ method: route.method, path: near, headers: { authorization: `Bearer ${admin}` } })
            expect(isBare404(answer), `${route.method} ${near} → ${answer.status}`).toBe(true)
          }
        }
      }))

    it.effect("allowlisted routes answer the same with a wrong or missing org header as with the right one", () =>
      Effect.gen(function* () {
        const open = routes.filter(allowlisted)
        expect(open.map((r) => r.template).sort()).toEqual([...TenantGuard.allowlist].sort())
        for (const route of open) {
          const path = pathOf(route)
          const reference = yield* exchange({ method: route.method, path, headers: rightProof, ...bodyOf(route) })
          expect(isBare404(reference)).toBe(false)
          for (const proof of wrongProofs) {
            const answer = yield* exchange({ method: route.method, path, headers: proof, ...bodyOf(route) })
            expect(answer.status, `${route.method} ${path} ${JSON.stringify(proof)}`).toBe(reference.status)
            expect(answer.headers["content-type"]).toBe(reference.headers["content-type"])
          }
        }
      }))
  })
})
