/**
 * Create, restart and delete with a real backend: the CP provisioner talking to a loopback CP (`CpServer`), under the
 * real workspace lifecycle — what `main` runs in SaaS mode. The CP records every request, so the tests see what the
 * background cycles sent, and a hanging CP stop shows that the restart answer never waits for it.
 */
import { CpServer } from "@berth/adapters/testing"
import type { NewWorkspace } from "@berth/core"
import { StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { admin, eventTypes, stored } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { Cp, cpTestServer } from "./support/LoopbackCp.js"
import { json, send } from "./support/TestServer.js"

const server = cpTestServer(admin)

const asAdmin = bearer(admin)

/** A container workspace row with a machine on file, as a finished provision leaves it (no create cycle running). */
const machine = (name: string, instanceId: string, overrides: Partial<NewWorkspace> = {}) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const statusWrites = yield* StatusWrites
    const created = yield* store.create({
      name, role: null, tier: 3, runtime: "claude-code", parentId: null, workspaceDir: null, workspaceAccess: "none",
      deliveryMode: "push", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
      event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }, ...overrides
    })
    yield* store.setInstanceId(created.workspace.id, instanceId)
    yield* statusWrites.transition({
      id: created.workspace.id, row: Transitions.registered, input: { url: null, agentCard: {}, deliveryMode: "push" }
    })
    return created.workspace.id
  })

describe("create, restart and delete over the CP provisioner and a loopback CP", () => {
  layer(server, { timeout: "60 seconds" })((it) => {
    it.effect("create answers 201 provisioning; the lifecycle provisions on the CP with the prepared env", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const answer = yield* send("POST", "/workspaces", {
          headers: asAdmin,
          body: JSON.stringify({ name: "CP Bot", runtime: "hermes", model: "minimax/MiniMax-M2.7", secrets: { TOOL_KEY: "t" } })
        })
        expect(answer.status).toBe(201)
        const id = (json(answer) as { id: string }).id
        expect(json(answer)).toEqual({ id, status: "provisioning", awareness_namespace: `workspace:${id}`, workspace_access: "none" })
        const [provision] = yield* cp.awaitRequests(1, "provision")
        const sent = JSON.parse(provision!.body) as { workspace_id: string; runtime: string; tier: number; env: Record<string, string> }
        expect(sent).toMatchObject({ workspace_id: id, runtime: "hermes", tier: 3 })
        expect(sent.env).toMatchObject({ TOOL_KEY: "t", MODEL: "minimax/MiniMax-M2.7", MODEL_PROVIDER: "minimax/MiniMax-M2.7", LLM_PROVIDER: "minimax" })
      }))

    it.effect("restart: bad options are 400s that write nothing; the answer comes while the old machine's stop hangs", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const id = yield* machine("restartable", "i-old")
        const restart = (query: string, body?: string) =>
          send("POST", `/workspaces/${id}/restart${query}`, { headers: asAdmin, ...(body === undefined ? {} : { body }) })
        for (const [body, error] of [["{not json", "invalid request body"], ["[]", "invalid request body"], ["{\"reset\":\"yes\"}", "invalid request body"], ["{\"template\":\"../x\"}", "invalid template"]] as const) {
          const refused = yield* restart("", body)
          expect([refused.status, json(refused)], body).toEqual([400, expect.objectContaining({ error })])
        }
        expect((yield* stored(id)).status).toBe("online")
        yield* cp.answer("stop", CpServer.hang, { times: 1 })
        const answer = yield* restart("?reset=true")
        expect([answer.status, json(answer)]).toEqual([200, { status: "provisioning", config_dir: "existing-volume", reset_session: true }])
        expect(yield* stored(id)).toMatchObject({ status: "provisioning", url: "" })
        expect((yield* eventTypes(id)).at(-1)).toMatchObject({ type: "WORKSPACE_PROVISIONING", payload: { name: "restartable", tier: 3, runtime: "claude-code", source: "user_restart" } })
        // the cycle is under way in the background: the stop reached the CP and hangs there, nothing provisioned yet
        const [stop] = yield* cp.awaitRequests(1, "stop")
        expect([stop!.workspaceId, stop!.query["instance_id"]]).toEqual([id, "i-old"])
        expect(yield* cp.requests("provision")).toEqual([])
        // an explicit template names the config dir; the typed client reads the answer
        const other = yield* machine("templated", "i-t")
        const templated = yield* send("POST", `/workspaces/${other}/restart`, { headers: asAdmin, body: JSON.stringify({ template: "full" }) })
        expect(json(templated)).toEqual({ status: "provisioning", config_dir: "full", reset_session: false })
        // its cycle runs to the end (stop, then provision) while the first one still waits on its stop
        const [provision] = yield* cp.awaitRequests(1, "provision")
        expect(provision!.workspaceId).toBe(other)
        expect((yield* cp.requests("stop")).map((r) => r.workspaceId)).toEqual([id, other])
      }))

    it.effect("a model, provider or secret change asks for one auto-restart: the machine is stopped and provisioned again", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const id = yield* machine("reconfigured", "i-cfg")
        const saved = yield* send("PUT", `/workspaces/${id}/model`, { headers: asAdmin, body: JSON.stringify({ model: "anthropic/claude-x" }) })
        expect([saved.status, json(saved)]).toEqual([200, { status: "saved", model: "anthropic/claude-x" }])
        const [stop] = yield* cp.awaitRequests(1, "stop")
        expect([stop!.workspaceId, stop!.query["instance_id"]]).toEqual([id, "i-cfg"])
        const [provision] = yield* cp.awaitRequests(1, "provision")
        const sent = JSON.parse(provision!.body) as { workspace_id: string; env: Record<string, string> }
        expect([sent.workspace_id, sent.env["MODEL"], sent.env["MODEL_PROVIDER"]]).toEqual([id, "anthropic/claude-x", "anthropic/claude-x"])
        expect((yield* eventTypes(id)).at(-1)?.payload).toMatchObject({ source: "auto_restart" })
      }))

    it.effect("delete: a failed CP stop → 500 with stop_failures, rows stay removed; the retry stops the rest; purge", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const root = yield* machine("root", "i-root")
        const child = yield* machine("child", "i-child", { parentId: root })
        const remote = yield* machine("remote", "i-never", { parentId: root, runtime: "external" })
        yield* cp.answer("stop", CpServer.respond(503, "busy"), { times: 1 })
        const failed = yield* send("DELETE", `/workspaces/${root}?confirm=true`, { headers: asAdmin })
        expect(failed.status).toBe(500)
        const body = json(failed) as { error: string; removed_count: number; stop_failures: number }
        expect(body.error).toMatch(/^workspace marked removed, but 1 stop call\(s\) failed — please retry: [0-9a-f-]{36}: stop failed \(HTTP 503\)$/)
        expect([body.removed_count, body.stop_failures]).toEqual([3, 1])
        for (const id of [root, child, remote]) expect((yield* stored(id)).status).toBe("removed")
        // the external workspace never reached the CP
        const stops = yield* cp.requests("stop")
        expect(stops.map((r) => r.workspaceId).sort()).toEqual([root, child].sort())
        // the retry collects the removed subtree again; only the machine still on file is stopped
        const retried = yield* send("DELETE", `/workspaces/${root}`, { headers: asAdmin })
        expect([retried.status, json(retried)]).toEqual([200, { status: "removed", cascade_deleted: 2 }])
        expect(yield* cp.requests("stop")).toHaveLength(3)
        for (const id of [root, child]) expect((yield* stored(id)).instanceId).toBeNull()
        const purged = yield* send("DELETE", `/workspaces/${root}?purge=true`, { headers: asAdmin })
        expect([purged.status, json(purged)]).toEqual([200, { status: "purged", cascade_deleted: 2 }])
        expect((yield* send("GET", `/workspaces/${child}?include_removed=true`)).status).toBe(404)
      }))
  })
})
