/** The SSE event stream (§5.12) end to end. */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { AgentRegistrations, TokenRepository } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import type { Persistence } from "@berth/adapters"
import { describe, expect, layer } from "@effect/vitest"
import type { Layer } from "effect"
import { Effect, Fiber, Option, Stream, TestServices } from "effect"
import { randomUUID } from "node:crypto"
import { bearer, onlineWorkspace, tokenFor } from "./Fixtures.js"
import { json, send, testServer } from "./TestServer.js"

/** Opens the stream and returns the accumulated text so far each time a chunk arrives. */
export const open = (id: WorkspaceId.WorkspaceId, headers: Record<string, string>) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.get(`/workspaces/${id}/events/stream`).pipe(HttpClientRequest.setHeaders(headers)))
    const text = response.stream.pipe(
      Stream.decodeText(),
      Stream.scan("", (acc, chunk) => acc + chunk)
    )
    return { response, text }
  })

/** Waits (bounded, so a broken stream fails instead of hanging) until the text satisfies `done`. */
export const until = (text: Stream.Stream<string, unknown>, done: (s: string) => boolean) =>
  text.pipe(Stream.takeUntil(done), Stream.runLast, Effect.map(Option.getOrElse(() => "")), Effect.timeout("20 seconds"))

/** SSE end to end, as a function of the database (and so of the event bus: in-process or NOTIFY/LISTEN). */
export const eventStreamSuite = (name: string, database: Layer.Layer<Persistence.Services, Persistence.StartError>) =>
describe(name, () => {
  layer(testServer({}, database), { timeout: "60 seconds" })((it) => {
    it.effect("headers, a first ping, then live events of this workspace only", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const other = yield* onlineWorkspace
        const headers = bearer(yield* tokenFor(id))
        const { response, text } = yield* open(id, headers)
        expect(response.status).toBe(200)
        expect(response.headers["content-type"]).toBe("text/event-stream")
        expect(response.headers["cache-control"]).toBe("no-cache")
        expect(response.headers["x-accel-buffering"]).toBe("no")
        const reader = yield* Effect.fork(until(text, (s) => s.includes("WORKSPACE_HEARTBEAT")))
        // The heartbeat of another workspace must not show up; ours must.
        yield* send("POST", "/registry/heartbeat", { body: JSON.stringify({ workspace_id: other, active_tasks: 9 }) })
        yield* send("POST", "/registry/heartbeat", { headers, body: JSON.stringify({ workspace_id: id, active_tasks: 1, uptime_seconds: 5 }) })
        const seen = yield* Fiber.join(reader)
        expect(seen.startsWith(": ping\n\n")).toBe(true)
        const data = seen.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>)
        expect(data).toEqual([{ type: "WORKSPACE_HEARTBEAT", timestamp: expect.any(Number), data: { active_tasks: 1, uptime_seconds: 5 } }])
      }).pipe(Effect.scoped, TestServices.provideLive))

    it.effect("Last-Event-ID replays the recorded events after it", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const headers = bearer(yield* tokenFor(id))
        const registrations = yield* AgentRegistrations
        const first = yield* registrations.updateCard(id, { v: 1 }, { type: "AGENT_CARD_UPDATED", payload: { agent_card: { v: 1 } } })
        yield* registrations.updateCard(id, { v: 2 }, { type: "AGENT_CARD_UPDATED", payload: { agent_card: { v: 2 } } })
        const seq = Option.getOrThrow(first).seq!
        const { text } = yield* open(id, { ...headers, "last-event-id": String(seq) })
        const seen = yield* until(text, (s) => s.includes("\"v\":2"))
        expect(seen).not.toContain("\"v\":1")
        expect(seen).toContain(`id: ${seq + 1}\n`)
      }).pipe(Effect.scoped, TestServices.provideLive))

    it.effect("unknown workspace → 404", () =>
      Effect.gen(function* () {
        const org = yield* Effect.flatMap(TokenRepository, (t) => t.issueOrg({ name: "ops", createdBy: null, orgId: null }))
        const answer = yield* send("GET", `/workspaces/${randomUUID()}/events/stream`, { headers: bearer(org.token) })
        expect(answer.status).toBe(404)
        expect(json(answer)).toEqual({ error: "workspace not found" })
      }))
  })
})
