/** Issue 15: every 4xx carries a JSON `{"error": …}`, the router's 404 and the listener's own answers included. */
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { connect } from "node:net"
import type { AddressInfo } from "node:net"
import { createJsonServer } from "../src/edge/ClientErrors.js"
import { adminSettings } from "./support/Clients.js"
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
  })
})
