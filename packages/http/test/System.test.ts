import { FetchHttpClient, HttpApiClient, HttpServer } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { WorkspaceId } from "@berth/core"
import { Effect } from "effect"
import { Api } from "../src/Api.js"
import * as Client from "../src/Client.js"
import { json, send, testServer } from "./support/TestServer.js"

describe("operational endpoints (§5.1) and the global middleware (§4), TenantGuard off", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("GET /health → 200 {\"status\":\"ok\"}", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/health")
        expect(answer.status).toBe(200)
        expect(json(answer)).toEqual({ status: "ok" })
      }))

    it.effect("GET /buildinfo → {\"git_sha\":\"dev\"} when GIT_SHA is unset", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/buildinfo")
        expect(answer.status).toBe(200)
        expect(answer.text).toBe("{\"git_sha\":\"dev\"}")
      }))

    it.effect("the typed client reads /health and /buildinfo", () =>
      Effect.gen(function* () {
        const client = yield* HttpApiClient.make(Api)
        expect(yield* client.system.health()).toEqual({ status: "ok" })
        expect(yield* client.system.buildinfo()).toEqual({ git_sha: "dev" })
      }))

    it.effect("the exported client (Client.make with a base URL) works over fetch against the listener", () =>
      Effect.gen(function* () {
        const address = (yield* HttpServer.HttpServer).address
        const port = address._tag === "TcpAddress" ? address.port : 0
        const client = yield* Client.make(`http://127.0.0.1:${port}`)
        expect(yield* client.system.health()).toEqual({ status: "ok" })
        const refused = yield* Effect.flip(client.workspaceState.state({ path: { id: WorkspaceId.unsafeMake("00000000-0000-4000-8000-000000000001") } }))
        expect(refused).toMatchObject({ _tag: "Unauthorized", error: "missing workspace auth token" })
      }).pipe(Effect.provide(FetchHttpClient.layer)))

    it.effect("GET /openapi.json is OpenAPI 3 and lists the paths", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/openapi.json")
        expect(answer.status).toBe(200)
        const spec = json(answer) as { openapi: string; paths: Record<string, unknown> }
        expect(spec.openapi).toMatch(/^3\./)
        expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/health", "/buildinfo", "/metrics", "/workspaces/{id}/state"]))
      }))

    it.effect("GET /docs serves the Swagger UI", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/docs")
        expect(answer.status).toBe(200)
        expect(answer.headers["content-type"]).toContain("text/html")
        expect(answer.text).toContain("swagger")
      }))

    it.effect("GET /metrics counts requests by route template and lists workspaces by status", () =>
      Effect.gen(function* () {
        yield* send("GET", "/health")
        yield* send("GET", "/workspaces/00000000-0000-4000-8000-000000000001/state")
        const answer = yield* send("GET", "/metrics")
        expect(answer.status).toBe(200)
        expect(answer.headers["content-type"]).toContain("text/plain")
        expect(answer.text).toMatch(/molecule_http_requests_total\{method="GET",path="\/health",status="200"\} \d+/)
        expect(answer.text).toMatch(/molecule_http_requests_total\{method="GET",path="\/workspaces\/:id\/state",status="401"\} \d+/)
        expect(answer.text).toContain("molecule_http_request_duration_seconds_total{method=\"GET\",path=\"/health\"")
        expect(answer.text).toContain("molecule_websocket_connections_active 0")
        expect(answer.text).toContain("berth_workspaces{status=\"online\"} 0")
      }))

    it.effect("security headers on answers that passed TenantGuard", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/health")
        expect(answer.headers["x-content-type-options"]).toBe("nosniff")
        expect(answer.headers["x-frame-options"]).toBe("DENY")
      }))

    it.effect("CORS preflight from an allowed origin is answered at the edge", () =>
      Effect.gen(function* () {
        const answer = yield* send("OPTIONS", "/workspaces", {
          headers: {
            origin: "http://localhost:3000",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,authorization"
          }
        })
        expect(answer.status).toBe(204)
        expect(answer.headers["access-control-allow-origin"]).toBe("http://localhost:3000")
        expect(answer.headers["access-control-allow-credentials"]).toBe("true")
        expect(answer.headers["access-control-allow-methods"]).toBe("GET, POST, PUT, PATCH, DELETE, OPTIONS")
        // the contract's four, then Idempotency-Key (a Berth addition: idempotent create from a browser)
        expect(answer.headers["access-control-allow-headers"]).toBe("Origin,Content-Type,X-Workspace-ID,Authorization,Idempotency-Key")
        expect(answer.headers["access-control-expose-headers"]).toBe("X-Next-Cursor")
      }))

    it.effect("CORS: a foreign origin gets no allow-origin header; an allowed one does on a normal request", () =>
      Effect.gen(function* () {
        const foreign = yield* send("GET", "/health", { headers: { origin: "https://evil.example" } })
        expect(foreign.headers["access-control-allow-origin"]).toBeUndefined()
        const allowed = yield* send("GET", "/health", { headers: { origin: "http://localhost:3001" } })
        expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:3001")
      }))

    it.effect("a non-UUID id after the guard → 400 {\"error\":\"invalid workspace ID\"} (decode error in the contract's shape)", () =>
      Effect.gen(function* () {
        // No bearer and no fail-open: the guard answers first.
        const unauthenticated = yield* send("GET", "/workspaces/not-a-uuid/state")
        expect(unauthenticated.status).toBe(401)
        expect(json(unauthenticated)).toEqual({ error: "missing workspace auth token" })
      }))
  })
})
