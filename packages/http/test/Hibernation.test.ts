/**
 * `POST /workspaces/:id/pause`, `/resume` and `/hibernate` (§2.4) on the wire, in external-only mode: upstream's
 * bodies and words, the cascade, the paused-ancestor 409, the busy 409, the 503 without a backend, the guard (own
 * token yes, another workspace's no), and the typed client. Stops against real backends: `docker/` and `CpBackend`.
 */
import { describe, expect, layer } from "@effect/vitest"
import type { WorkspaceStatus } from "@berth/core"
import { AgentRegistrations, StatusWrites, Transitions, WorkspaceId } from "@berth/core"
import { Effect } from "effect"
import { admin, adminSettings, eventTypes, operator, stored } from "./support/Clients.js"
import { bearer, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const post = (id: string, route: "pause" | "resume" | "hibernate", query = "", headers: Record<string, string> = bearer(admin)) =>
  send("POST", `/workspaces/${id}/${route}${query}`, { headers })

const createWorkspace = (payload: { name: string; external?: boolean; parent_id?: string }) =>
  Effect.flatMap(operator, (api) => api.workspaces.create({ payload, headers: {} })).pipe(Effect.map((c) => WorkspaceId.unsafeMake(c.id)))

/** A set-up row: any live status → `to` (what the agent or a sweep would have done). */
const setStatus = (id: WorkspaceId.WorkspaceId, to: WorkspaceStatus.WorkspaceStatus) =>
  Effect.flatMap(StatusWrites, (w) => w.transition({
    id, input: undefined,
    row: { name: `testSetUp:${to}`, from: Transitions.anyButRemoved, to, event: "WORKSPACE_ONLINE", source: "register", payload: () => ({}) }
  }))

const notPausable = { error: "workspace not found or already paused" }
const notPaused = { error: "workspace not found or not paused" }
const notHibernatable = { error: "workspace not found or not in a hibernatable state (must be online or degraded)" }

describe("pause, resume, hibernate (§2.4)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("unknown → each route's 404, non-UUID → 400, removed → the same 404", () =>
      Effect.gen(function* () {
        const unknown = "0d6e2a51-3b1c-4f6e-8a70-5a8b4c3d2e1f"
        for (const [route, body] of [["pause", notPausable], ["resume", notPaused], ["hibernate", notHibernatable]] as const) {
          const answer = yield* post(unknown, route)
          expect([answer.status, json(answer)]).toEqual([404, body])
          const bad = yield* post("nope", route)
          expect([bad.status, json(bad)]).toEqual([400, expect.objectContaining({ error: "invalid workspace ID" })])
        }
        const id = yield* createWorkspace({ name: "gone", external: true })
        yield* send("DELETE", `/workspaces/${id}`, { headers: bearer(admin) })
        const gone = yield* post(id, "pause")
        expect([gone.status, json(gone)]).toEqual([404, notPausable])
      }))

    it.effect("pause cascades with one WORKSPACE_PAUSED each; again → 404; resume of a child under it → 409; resume → 200", () =>
      Effect.gen(function* () {
        const lead = yield* createWorkspace({ name: "Lead", external: true })
        const worker = yield* createWorkspace({ name: "worker", external: true, parent_id: lead })
        const token = yield* tokenFor(lead)
        // its own token is enough (WorkspaceAuth); another workspace's is not
        const foreign = yield* post(lead, "pause", "", bearer(yield* tokenFor(worker)))
        expect(foreign.status).toBe(401)
        const paused = yield* post(lead, "pause", "", bearer(token))
        expect([paused.status, json(paused)]).toEqual([200, { status: "paused", paused_count: 2 }])
        expect([(yield* stored(lead)).status, (yield* stored(worker)).status]).toEqual(["paused", "paused"])
        expect((yield* eventTypes(worker)).map((e) => e.type)).toContain("WORKSPACE_PAUSED")
        const again = yield* post(lead, "pause")
        expect([again.status, json(again)]).toEqual([404, notPausable])
        const blocked = yield* post(worker, "resume")
        expect([blocked.status, json(blocked)]).toEqual([409, { error: "parent workspace \"Lead\" is paused — resume it first" }])
        // external workspaces: the status only; their agents come back by themselves
        const resumed = yield* post(lead, "resume")
        expect([resumed.status, json(resumed)]).toEqual([200, { status: "provisioning", resumed_count: 2 }])
        expect((yield* stored(worker)).status).toBe("awaiting_agent")
        const notAgain = yield* post(lead, "resume")
        expect([notAgain.status, json(notAgain)]).toEqual([404, notPaused])
      }))

    it.effect("hibernate: external → 404, busy → 409 with active_tasks, no backend → 503; resume without a backend → 503", () =>
      Effect.gen(function* () {
        const ext = yield* createWorkspace({ name: "ext", external: true })
        yield* setStatus(ext, "online")
        const refused = yield* post(ext, "hibernate", "?force=true")
        expect([refused.status, json(refused)]).toEqual([404, notHibernatable])
        const box = yield* createWorkspace({ name: "box" })
        yield* setStatus(box, "online")
        yield* (yield* AgentRegistrations).heartbeat({
          id: box, errorRate: 0, sampleError: null, activeTasks: 3, uptimeSeconds: 1, currentTask: null, monthlySpend: 0
        })
        const busy = yield* post(box, "hibernate")
        expect([busy.status, json(busy)]).toEqual([409, { error: "workspace has active tasks; use ?force=true to terminate them", active_tasks: 3 }])
        const forced = yield* post(box, "hibernate", "?force=true")
        expect([forced.status, json(forced)]).toEqual([503, { error: "provisioner not available" }])
        expect((yield* stored(box)).status).toBe("online")
        yield* setStatus(box, "paused")
        const resume = yield* post(box, "resume")
        expect([resume.status, json(resume)]).toEqual([503, { error: "provisioner not available" }])
        expect((yield* stored(box)).status).toBe("paused")
      }))

    it.effect("GET /workspaces/:id shows the idle policy: idle_since from an idle beat, cleared by a beat with work", () =>
        Effect.gen(function* () {
          const id = yield* createWorkspace({ name: "idler" })
          const beat = (activeTasks: number) => Effect.flatMap(AgentRegistrations, (r) => r.heartbeat({
            id, errorRate: 0, sampleError: null, activeTasks, uptimeSeconds: 1, currentTask: null, monthlySpend: 0
          }))
          const detail = () => Effect.map(send("GET", `/workspaces/${id}`), (a) => json(a) as Record<string, unknown>)
          expect(yield* detail()).toMatchObject({ hibernation_idle_minutes: null, idle_since: null })
          yield* beat(0)
          expect((yield* detail())["idle_since"]).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/))
          yield* beat(2)
          expect((yield* detail())["idle_since"]).toBeNull()
        }))

    it.effect("the typed client reads the answers and the errors", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const id = yield* createWorkspace({ name: "typed", external: true })
        expect(yield* api.hibernation.pause({ path: { id } })).toEqual({ status: "paused", paused_count: 1 })
        expect(yield* api.hibernation.resume({ path: { id } })).toEqual({ status: "provisioning", resumed_count: 1 })
        const error = yield* Effect.flip(api.hibernation.hibernate({ path: { id }, urlParams: {} }))
        expect(error).toMatchObject({ _tag: "NotFound", error: notHibernatable.error })
      }))
  })
})
