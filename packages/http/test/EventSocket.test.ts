import { HttpServer, Socket } from "@effect/platform"
import { NodeSocket } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Schedule, TestServices } from "effect"
import { bearer, onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

describe("GET /ws (§5.12)", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("with X-Workspace-ID the registry token gate runs before the upgrade", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const token = yield* tokenFor(id)
        const missing = yield* send("GET", "/ws", { headers: { "x-workspace-id": id } })
        expect(missing.status).toBe(401)
        expect(json(missing)).toEqual({ error: "missing workspace auth token" })
        const wrong = yield* send("GET", "/ws", { headers: { "x-workspace-id": id, ...bearer("nope") } })
        expect(json(wrong)).toEqual({ error: "invalid workspace auth token" })
        const bad = yield* send("GET", "/ws", { headers: { "x-workspace-id": "nope" } })
        expect(json(bad)).toEqual({ error: "invalid workspace ID" })
        // past the gate, a plain GET is not an upgrade
        const plain = yield* send("GET", "/ws", { headers: { "x-workspace-id": id, ...bearer(token) } })
        expect(plain.status).toBe(400)
      }))

    it.effect("an Origin outside CORS_ORIGINS is refused", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/ws", { headers: { origin: "https://evil.example" } })
        expect(answer.status).toBe(403)
      }))

    it.effect("the canvas (no X-Workspace-ID) receives events in the §6 envelope", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const address = (yield* HttpServer.HttpServer).address
        const port = address._tag === "TcpAddress" ? address.port : 0
        const socket = yield* Socket.makeWebSocket(`ws://127.0.0.1:${port}/ws`).pipe(Effect.provide(NodeSocket.layerWebSocketConstructor))
        const first = yield* Deferred.make<string>()
        yield* Effect.forkScoped(socket.runRaw((data) =>
          Deferred.succeed(first, typeof data === "string" ? data : new TextDecoder().decode(data))))
        // The server subscribes after the upgrade: beat until a frame arrives (bounded by the test timeout).
        const beating = yield* Effect.forkScoped(
          send("POST", "/registry/heartbeat", { body: JSON.stringify({ workspace_id: id, active_tasks: 3, uptime_seconds: 7 }) }).pipe(
            Effect.repeat(Schedule.spaced("100 millis"))
          )
        )
        const frame = JSON.parse(yield* Deferred.await(first)) as Record<string, unknown>
        yield* Fiber.interrupt(beating)
        expect(frame).toEqual({
          event: expect.stringMatching(/^(WORKSPACE_HEARTBEAT|TASK_UPDATED)$/),
          workspace_id: id,
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          payload: expect.any(Object)
        })
      }).pipe(Effect.scoped, TestServices.provideLive))
  })
})
