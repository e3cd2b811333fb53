/**
 * Issue 19's acceptance in CP mode against the loopback CP (§2.4, §8.4): hibernate and pause send the stop (with the
 * retry), wake re-provisions, and a CP that fails every stop attempt leaves the workspace in its prior status with
 * the failure recorded (event, leak suspect) while the route answers a 500 — never `hibernated` with a live machine.
 * The real clock runs (the retry waits 1 s, then 2 s).
 */
import { CpServer } from "@berth/adapters/testing"
import type { WorkspaceId } from "@berth/core"
import { LeakSuspects, StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { admin, eventTypes, stored } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { Cp, cpTestServer } from "./support/LoopbackCp.js"
import { json, send } from "./support/TestServer.js"

const asAdmin = bearer(admin)
const post = (id: string, route: string) => send("POST", `/workspaces/${id}/${route}`, { headers: asAdmin })

/** An online container workspace with a machine on file, as a finished provision and register leave it. */
const machine = (name: string, instanceId: string, parentId: WorkspaceId.WorkspaceId | null = null) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const created = yield* store.create({
      name, role: null, tier: 3, runtime: "claude-code", parentId, workspaceDir: null, workspaceAccess: "none",
      deliveryMode: "push", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
      event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
    })
    yield* store.setInstanceId(created.workspace.id, instanceId)
    yield* (yield* StatusWrites).transition({
      id: created.workspace.id, row: Transitions.registered, input: { url: null, agentCard: {}, deliveryMode: "push" }
    })
    return created.workspace.id
  })

describe("pause and hibernation over the CP provisioner and a loopback CP", () => {
  layer(cpTestServer(admin), { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.effect("hibernate stops the machine (retrying a refusal), clears instance_id; restart wakes it with a provision", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const id = yield* machine("sleeper", "i-sleep")
        yield* cp.answer("stop", CpServer.respond(503, "busy"), { times: 1 })
        const answer = yield* post(id, "hibernate")
        expect([answer.status, json(answer)]).toEqual([200, { status: "hibernated" }])
        const stops = yield* cp.requests("stop")
        expect(stops.map((r) => [r.workspaceId, r.query["instance_id"]])).toEqual([[id, "i-sleep"], [id, "i-sleep"]])
        expect(yield* stored(id)).toMatchObject({ status: "hibernated", url: "", instanceId: null })
        const wake = yield* post(id, "restart")
        expect(wake.status).toBe(200)
        const [provision] = yield* cp.awaitRequests(1, "provision")
        expect(provision!.workspaceId).toBe(id)
        expect((yield* eventTypes(id)).find((e) => e.payload["source"] === "wake")?.type).toBe("WORKSPACE_PROVISIONING")
      }))

    it.effect("pause stops the machines of a parent and its child; resume provisions both again", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const parent = yield* machine("parent", "i-parent")
        const child = yield* machine("child", "i-child", parent)
        const paused = yield* post(parent, "pause")
        expect([paused.status, json(paused)]).toEqual([200, { status: "paused", paused_count: 2 }])
        const stops = yield* cp.requests("stop")
        expect(stops.map((r) => r.query["instance_id"]).sort()).toEqual(["i-child", "i-parent"])
        const resumed = yield* post(parent, "resume")
        expect([resumed.status, json(resumed)]).toEqual([200, { status: "provisioning", resumed_count: 2 }])
        const provisions = yield* cp.awaitRequests(2, "provision")
        expect(provisions.map((r) => r.workspaceId).sort()).toEqual([parent, child].sort())
      }))

    it.effect("a CP failing every stop: three attempts, 500, the prior status back with the reason, a leak suspect", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const id = yield* machine("stuck", "i-stuck")
        yield* cp.answer("stop", CpServer.respond(503, "busy"), { times: 3 })
        const answer = yield* post(id, "hibernate")
        expect([answer.status, json(answer)]).toEqual([500, { error: "failed to hibernate workspace: its workload could not be stopped" }])
        expect(yield* cp.requests("stop")).toHaveLength(3)
        const row = yield* stored(id)
        expect([row.status, row.instanceId]).toEqual(["online", "i-stuck"])
        expect(row.lastSampleError).toContain("stop failed after 3 attempts")
        expect((yield* eventTypes(id)).at(-1)).toMatchObject({
          type: "WORKSPACE_HIBERNATE_FAILED", payload: { name: "stuck", restored_status: "online", source: "hibernate" }
        })
        const suspects = (yield* (yield* LeakSuspects).listOpen).filter((s) => s.workspaceId === id)
        expect(suspects).toMatchObject([{ instanceId: "i-stuck", source: "Hibernate" }])
      }))

    it.effect("an A2A message to a hibernated workspace: 503 waking with Retry-After 15, and the wake really starts", () =>
      Effect.gen(function* () {
        const cp = yield* Cp
        yield* cp.reset
        const id = yield* machine("dreamer", "i-dream")
        const hibernated = yield* post(id, "hibernate")
        expect(hibernated.status).toBe(200)
        expect((yield* stored(id)).status).toBe("hibernated")

        const answer = yield* send("POST", `/workspaces/${id}/a2a`, {
          body: JSON.stringify({ method: "message/send", params: { message: { role: "user", parts: [] } } })
        })
        expect([answer.status, json(answer)]).toEqual([503, {
          error: "workspace is waking from hibernation — retry in ~15 seconds", waking: true, retry_after: 15
        }])
        expect(answer.headers["retry-after"]).toBe("15")
        expect((yield* stored(id)).status).toBe("provisioning")
        const [provision] = yield* cp.awaitRequests(1, "provision")
        expect(provision!.workspaceId).toBe(id)
        expect((yield* eventTypes(id)).find((e) => e.payload["source"] === "wake")?.type).toBe("WORKSPACE_PROVISIONING")
      }))
  })
})
