/**
 * The A2A proxy (§5.13) end to end: real agent processes on 127.0.0.1 in a parent/child hierarchy register through
 * the registry, then message each other through `POST /workspaces/:id/a2a` with the headers molecule-mcp and the
 * Python SDK send (bearer + `X-Workspace-ID`). What the hierarchy refuses, what a stopped, failing or slow agent
 * gives, and what is recorded on both sides.
 */
import { WorkspaceId, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { agentProcess } from "./support/AgentProcess.js"
import { bearer } from "./support/Fixtures.js"
import type { LoopbackAgent } from "./support/LoopbackAgent.js"
import { agentServer, asAgent, startAgent } from "./support/LoopbackAgent.js"
import type { Answer } from "./support/TestServer.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "a2a-admin"

const message = (text: string, method = "message/send", params: Record<string, unknown> = {}) =>
  JSON.stringify({ method, params: { message: { role: "user", parts: [{ kind: "text", text }] }, ...params } })

const a2a = (target: string, headers: Record<string, string>, body: string) =>
  send("POST", `/workspaces/${target}/a2a`, { headers, body })

const activity = (agent: LoopbackAgent) =>
  Effect.map(send("GET", `/workspaces/${agent.id}/activity`, { headers: bearer(agent.token) }), (answer) =>
    json(answer) as ReadonlyArray<Readonly<Record<string, unknown>>>)

const startProcessAgent = (name: string, parent?: string) => startAgent(admin, name, parent, agentProcess(name))

const refusal = (answer: Answer) => [answer.status, json(answer)]

describe("the A2A proxy (§5.13) with agent processes", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "90 seconds" })((it) => {
    it.scoped("a child messages its parent: forwarded in an envelope, answered, recorded on both sides", () =>
      Effect.gen(function* () {
        const lead = yield* startProcessAgent("lead")
        const worker = yield* startProcessAgent("worker", lead.id)

        const answer = yield* a2a(lead.id, asAgent(worker), message("hello lead"))
        expect(answer.status).toBe(200)
        expect(answer.headers["content-type"]).toMatch(/^application\/json/)
        const reply = json(answer) as { result: { from: string; received: Record<string, unknown> } }
        expect(reply.result.from).toBe("lead")
        // wrapped in JSON-RPC 2.0 with a fresh id, and the message given the messageId the a2a SDK needs
        const received = reply.result.received as { jsonrpc: string; id: string; method: string; params: { message: Record<string, unknown> } }
        expect(received).toMatchObject({ jsonrpc: "2.0", method: "message/send" })
        expect(received.id).toMatch(/^[0-9a-f-]{36}$/)
        expect(received.params.message["messageId"]).toMatch(/^[0-9a-f-]{36}$/)

        const [received1] = yield* activity(lead)
        expect(received1).toMatchObject({
          activity_type: "a2a_receive", source_id: worker.id, target_id: lead.id, method: "message/send",
          summary: "message/send → lead", status: "ok", tool_trace: [{ tool: "echo", agent: "lead" }]
        })
        const [sent] = yield* activity(worker)
        expect(sent).toMatchObject({ activity_type: "a2a_send", source_id: worker.id, target_id: lead.id, status: "ok" })

        const detail = json(yield* send("GET", `/workspaces/${worker.id}`, { headers: bearer(admin) })) as { last_outbound_at: string | null }
        expect(detail.last_outbound_at).not.toBeNull()
        const leadDetail = json(yield* send("GET", `/workspaces/${lead.id}`, { headers: bearer(admin) })) as { last_outbound_at: string | null }
        expect(leadDetail.last_outbound_at).toBeNull()

        // the parent answers down the tree too, and a JSON-RPC envelope is forwarded as it is
        const envelope = JSON.stringify({ jsonrpc: "2.0", id: "req-7", method: "tasks/get", params: { id: "t1" } })
        const down = yield* a2a(worker.id, asAgent(lead), envelope)
        expect(down.status).toBe(200)
        expect((json(down) as { result: { received: unknown } }).result.received).toEqual(JSON.parse(envelope))
      }))

    it.scoped("the hierarchy decides: discover, peers and a2a agree; an agent of another team is refused", () =>
      Effect.gen(function* () {
        const lead = yield* startProcessAgent("team-lead")
        const worker = yield* startProcessAgent("team-worker", lead.id)
        const otherRoot = yield* startProcessAgent("other-root")
        const stranger = yield* startProcessAgent("stranger", otherRoot.id)

        const peers = json(yield* send("GET", `/registry/${worker.id}/peers`, { headers: asAgent(worker) })) as ReadonlyArray<{ id: string }>
        expect(peers.map((p) => p.id)).toEqual([lead.id])
        expect((yield* send("GET", `/registry/discover/${lead.id}`, { headers: asAgent(worker) })).status).toBe(200)
        expect((yield* send("GET", `/registry/discover/${worker.id}`, { headers: asAgent(stranger) })).status).toBe(403)

        const refused = yield* a2a(worker.id, asAgent(stranger), message("let me in"))
        expect(refused.status).toBe(403)
        expect(json(refused)).toEqual({ error: "access denied: workspaces cannot communicate per hierarchy rules" })
        // nothing reached the worker's side
        expect(yield* activity(worker)).toEqual([])
      }))

    it.scoped("the caller's own token, the canvas, and forged or malformed callers", () =>
      Effect.gen(function* () {
        const lead = yield* startProcessAgent("auth-lead")
        const worker = yield* startProcessAgent("auth-worker", lead.id)
        const body = message("hi")

        expect(refusal(yield* a2a(lead.id, { "x-workspace-id": worker.id }, body))).toEqual([401, { error: "missing caller auth token" }])
        expect(refusal(yield* a2a(lead.id, { ...bearer(lead.token), "x-workspace-id": worker.id }, body)))
          .toEqual([401, { error: "invalid caller auth token" }])
        expect(refusal(yield* a2a(lead.id, { "x-workspace-id": "system:scheduler" }, body))).toEqual([403, { error: "invalid caller ID" }])
        expect(refusal(yield* a2a(lead.id, { "x-workspace-id": "not-a-uuid" }, body)))
          .toEqual([403, { error: "access denied: workspaces cannot communicate per hierarchy rules" }])
        expect(refusal(yield* a2a(lead.id, asAgent(worker), "{not json"))).toEqual([400, { error: "invalid JSON" }])
        expect(refusal(yield* a2a(lead.id, asAgent(worker), "[1,2]"))).toEqual([400, { error: "invalid JSON" }])
        expect(refusal(yield* a2a(lead.id, asAgent(worker), "{\"params\":{}}")))
          .toEqual([400, { error: "invalid JSON-RPC request: method must be a non-empty string" }])
        expect(refusal(yield* a2a(lead.id, asAgent(worker), "{\"jsonrpc\":\"1.0\",\"method\":\"m\"}")))
          .toEqual([400, { error: "invalid JSON-RPC request: jsonrpc must be \"2.0\"" }])
        expect(refusal(yield* a2a(lead.id, asAgent(worker), "{\"method\":\"m\",\"params\":7}")))
          .toEqual([400, { error: "invalid JSON-RPC request: params must be an object or an array" }])
        const huge = JSON.stringify({ method: "message/send", params: { blob: "x".repeat(1 << 20) } })
        expect(refusal(yield* a2a(lead.id, asAgent(worker), huge))).toEqual([413, { error: "request body too large", limit_bytes: 1 << 20 }])
        // none of the refusals reached the lead
        expect(yield* activity(lead)).toEqual([])

        // the canvas sends no caller: trusted, as upstream; recorded with no source and nothing on a caller's side
        const canvas = yield* a2a(lead.id, {}, body)
        expect(canvas.status).toBe(200)
        const [row] = yield* activity(lead)
        expect(row).toMatchObject({ activity_type: "a2a_receive", source_id: null, status: "ok" })
      }))

    it.scoped("a failing agent's status and words; a slow one is a 503 busy with Retry-After", () =>
      Effect.gen(function* () {
        const lead = yield* startProcessAgent("flaky-lead")
        const worker = yield* startProcessAgent("flaky-worker", lead.id)

        expect(refusal(yield* a2a(lead.id, asAgent(worker), message("boom", "fail")))).toEqual([500, { error: "flaky-lead exploded" }])

        const slow = yield* a2a(lead.id, { ...asAgent(worker), "x-timeout": "1" }, message("wait", "slow", { millis: 5000 }))
        expect(refusal(slow)).toEqual([503, { error: "workspace agent busy — retry after a short backoff", busy: true, retry_after: 30 }])
        expect(slow.headers["retry-after"]).toBe("30")
      }))

    it.scoped("a stopped agent answers upstream's 502 at once and the failure is recorded", () =>
      Effect.gen(function* () {
        const leadProcess = yield* agentProcess("stopped-lead")
        const lead = yield* startAgent(admin, "stopped-lead", undefined, Effect.succeed(leadProcess))
        const worker = yield* startProcessAgent("stopped-worker", lead.id)
        yield* leadProcess.stop

        const answer = yield* a2a(lead.id, asAgent(worker), message("anyone?"))
        expect(refusal(answer)).toEqual([502, { error: "failed to reach workspace agent" }])
        const [row] = yield* activity(lead)
        expect(row).toMatchObject({ activity_type: "a2a_receive", status: "error", source_id: worker.id })
        expect(String(row!["summary"])).toMatch(/^A2A request to stopped-lead failed: /)
        const [sent] = yield* activity(worker)
        expect(sent).toMatchObject({ activity_type: "a2a_send", status: "error" })
      }))

    it.scoped("no URL on file, an unsafe URL, an unknown or removed workspace, a budget spent", () =>
      Effect.gen(function* () {
        const created = json(yield* send("POST", "/workspaces", { headers: bearer(admin), body: JSON.stringify({ name: "waiting", external: true }) })) as { id: string }
        expect(refusal(yield* a2a(created.id, {}, message("hi")))).toEqual([503, { error: "workspace has no URL", status: "awaiting_agent" }])

        const store = yield* WorkspaceStore
        const id = WorkspaceId.unsafeMake(created.id)
        yield* store.setUrl(id, "http://169.254.169.254/latest/meta-data")
        expect(refusal(yield* a2a(created.id, {}, message("hi")))).toEqual([502, { error: "workspace URL is not publicly routable" }])

        expect(refusal(yield* a2a("00000000-0000-4000-8000-000000000000", {}, message("hi")))).toEqual([404, { error: "workspace not found" }])
        expect(json(yield* a2a("nope", {}, message("hi")))).toMatchObject({ error: "invalid workspace ID" })

        const spender = json(yield* send("POST", "/workspaces", {
          headers: bearer(admin), body: JSON.stringify({ name: "spender", external: true, budget_limit: 100 })
        })) as { id: string; connection: { auth_token: string } }
        const token = spender.connection.auth_token
        const server = yield* agentServer("spender")
        yield* send("POST", "/registry/register", { headers: bearer(token), body: JSON.stringify({ id: spender.id, url: server.url, agent_card: { name: "spender" } }) })
        expect((yield* a2a(spender.id, {}, message("hi"))).status).toBe(200)
        yield* send("POST", "/registry/heartbeat", { headers: bearer(token), body: JSON.stringify({ workspace_id: spender.id, monthly_spend: 100 }) })
        expect(refusal(yield* a2a(spender.id, {}, message("hi")))).toEqual([402, { error: "workspace budget limit exceeded" }])

        yield* send("DELETE", `/workspaces/${created.id}`, { headers: bearer(admin) })
        expect((yield* a2a(created.id, {}, message("hi"))).status).toBe(410)
      }))
  })
})
