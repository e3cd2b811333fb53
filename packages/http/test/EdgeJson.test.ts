/** Issue 15: every 4xx carries a JSON `{"error": …}`, the router's 404 and the listener's own answers included. */
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { connect } from "node:net"
import type { AddressInfo } from "node:net"
import { createJsonServer } from "../src/edge/ClientErrors.js"
import { secretKeyMax } from "../src/wire/Limits.js"
import { admin, adminSettings } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

/** Sends `raw` to a fresh production listener and returns the whole answer. */
const rawExchange = (raw: string) =>
  Effect.acquireUseRelease(
    Effect.async<ReturnType<typeof createJsonServer>>((resume) => {
      const server = createJsonServer()
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<string>((resume) => {
        const socket = connect((server.address() as AddressInfo).port, "127.0.0.1")
        let answer = ""
        socket.on("data", (chunk) => { answer += chunk.toString() })
        socket.on("close", () => resume(Effect.succeed(answer)))
        socket.on("error", () => resume(Effect.succeed(answer)))
        socket.write(raw)
      }),
    (server) => Effect.async<void>((resume) => { server.close(() => resume(Effect.void)) })
  )

const bodyOf = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))

describe("the listener's own answers (Node clientError) carry JSON (issue 15)", () => {
  it.effect("headers over Node's limit → 431, a malformed request → 400, each with {error}", () =>
    Effect.gen(function* () {
      const big = yield* rawExchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${"x".repeat(20 * 1024)}\r\n\r\n`)
      expect(big.startsWith("HTTP/1.1 431 "), big.slice(0, 40)).toBe(true)
      expect(bodyOf(big)).toEqual({ error: "request headers too large" })
      const bad = yield* rawExchange("NOT A REQUEST\r\n\r\n")
      expect(bad.startsWith("HTTP/1.1 400 "), bad.slice(0, 40)).toBe(true)
      expect(bodyOf(bad)).toEqual({ error: "malformed request" })
    }))
})

describe("4xx answers outside the handlers carry JSON (issue 15)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("an unknown path and a path segment over the router's limit answer 404 {error}", () =>
      Effect.gen(function* () {
        for (const path of ["/no-such-route", `/workspaces/${"x".repeat(101)}`, `/admin/secrets/${"k".repeat(4000)}`]) {
          const answer = yield* send("GET", path)
          expect([answer.status, json(answer)], path.slice(0, 40)).toEqual([404, { error: "not found" }])
        }
      }))

    it.effect("a secret key at its maximum is saved and deleted through the API; one more character is a 400 naming key", () =>
      Effect.gen(function* () {
        const headers = bearer(admin)
        const key = "K".repeat(secretKeyMax)
        // Percent-encoded in the path, a non-ASCII key is longer there than in the body: it must still be deletable.
        for (const k of [key, "é".repeat(secretKeyMax)]) {
          const saved = yield* send("POST", "/admin/secrets", { headers, body: JSON.stringify({ key: k, value: "v" }) })
          expect(saved.status).toBe(200)
          const deleted = yield* send("DELETE", `/admin/secrets/${encodeURIComponent(k)}`, { headers })
          expect([deleted.status, json(deleted)]).toEqual([200, { status: "deleted", key: k }])
        }
        const long = yield* send("POST", "/admin/secrets", { headers, body: JSON.stringify({ key: `${key}K`, value: "v" }) })
        expect([long.status, json(long)]).toEqual([400, { error: "key too long", detail: `key is longer than ${secretKeyMax} characters` }])
        const list = json(yield* send("GET", "/admin/secrets", { headers })) as Array<unknown>
        expect(list).toEqual([])
      }))

    it.effect("U+0000 in a query parameter or a JSON string is a 400 with a detail, never a database error", () =>
      Effect.gen(function* () {
        const headers = bearer(admin)
        const query = yield* send("GET", "/workspaces?x=a%00b", { headers })
        expect([query.status, json(query)]).toEqual([400, { error: "invalid x parameter", detail: "query parameter \"x\" contains U+0000" }])
        const body = yield* send("POST", "/workspaces", { headers, body: JSON.stringify({ name: "ok", role: "a\u0000b" }) })
        expect([body.status, json(body)]).toEqual([400, { error: "invalid workspace payload", detail: "field role contains U+0000" }])
        const secret = yield* send("POST", "/admin/secrets", { headers, body: JSON.stringify({ key: "K", value: "\u0000" }) })
        expect([secret.status, json(secret)]).toEqual([400, { error: "invalid request body", detail: "field value contains U+0000" }])
      }))
  })
})
