/** `PATCH /workspaces/:id` (§5.4.1) over HTTP: the editable fields, create's validation, the hierarchy rule. */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { WorkspaceId } from "@berth/core"
import { clientWith } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { startAgent } from "./support/LoopbackAgent.js"
import type { Answer } from "./support/TestServer.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "edit-admin"
const asAdmin = bearer(admin)

const patch = (id: string, body: unknown, headers: Record<string, string> = asAdmin) =>
  send("PATCH", `/workspaces/${id}`, { headers, body: typeof body === "string" ? body : JSON.stringify(body) })
/** The workspace as `GET /workspaces` lists it (the element carries `workspace_dir` and `budget_limit`). */
const shown = (id: string) =>
  Effect.map(send("GET", "/workspaces", { headers: asAdmin }), (a) =>
    (json(a) as ReadonlyArray<Record<string, unknown>>).find((w) => w["id"] === id))
const answer = (a: Answer) => [a.status, json(a)]

describe("PATCH /workspaces/:id (§5.4.1)", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.scoped("edits the fields sent, ignores unknown ones, and the agent may edit itself", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "edit-lead")
        const agent = yield* startAgent(admin, "edit-agent")
        expect(answer(yield* patch(agent.id, { name: "renamed", role: "Researcher", tier: 2, budget_limit: 1, bogus: true })))
          .toEqual([200, { status: "updated" }])
        expect(yield* shown(agent.id)).toMatchObject({ name: "renamed", role: "Researcher", tier: 2, budget_limit: null })
        expect(answer(yield* patch(agent.id, { x: 10, y: 20, collapsed: true }, bearer(agent.token)))).toEqual([200, { status: "updated" }])
        expect(yield* shown(agent.id)).toMatchObject({ x: 10, y: 20, collapsed: true })
        expect(answer(yield* patch(agent.id, { parent_id: lead.id }))).toEqual([200, { status: "updated" }])
        expect(yield* shown(agent.id)).toMatchObject({ parent_id: lead.id })
        const events = json(yield* send("GET", `/events/${agent.id}`, { headers: asAdmin })) as ReadonlyArray<{ event_type: string; payload: unknown }>
        expect(events.filter((e) => e.event_type === "WORKSPACE_MOVED").map((e) => e.payload)).toEqual([{ old_parent_id: null, new_parent_id: lead.id }])
        expect(answer(yield* patch(agent.id, { workspace_dir: "/home/agent/work" }))).toEqual([200, { status: "updated", needs_restart: true }])
        expect(answer(yield* patch(agent.id, { parent_id: null }))).toEqual([200, { status: "updated" }])
        expect(yield* shown(agent.id)).toMatchObject({ parent_id: null, workspace_dir: "/home/agent/work" })
        // the typed client reaches it too
        const typed = yield* clientWith(agent.token)
        expect(yield* typed.workspaceEdit.update({ path: { id: WorkspaceId.unsafeMake(agent.id) }, payload: { role: null } }))
          .toEqual({ status: "updated" })
        expect(yield* shown(agent.id)).toMatchObject({ role: null })
        // another workspace's token may not
        expect(answer(yield* patch(agent.id, { name: "hijack" }, bearer(lead.token)))).toEqual([401, { error: "invalid workspace auth token" }])
      }))

    it.scoped("refuses what create refuses, a cycle, and bodies of the wrong shape; a refused edit changes nothing", () =>
      Effect.gen(function* () {
        const root = yield* startAgent(admin, "cycle-root")
        const child = yield* startAgent(admin, "cycle-child", root.id)
        expect(answer(yield* patch(root.id, { parent_id: child.id })))
          .toEqual([400, { error: "parent_id would make the workspace its own ancestor" }])
        expect(answer(yield* patch(root.id, { parent_id: "00000000-0000-4000-8000-00000000c0de" })))
          .toEqual([400, { error: "parent workspace not found" }])
        expect((yield* patch(root.id, { parent_id: "nope" })).status).toBe(400)
        expect(answer(yield* patch(root.id, { name: "x\ny" }))).toEqual([400, { error: "invalid workspace fields" }])
        expect(answer(yield* patch(root.id, { workspace_dir: "/etc/x" }))).toEqual([400, { error: "invalid workspace directory" }])
        for (const body of [{ name: 5 }, { tier: "2" }, { x: "left", y: 1 }, { collapsed: "yes" }, "[]", "{"]) {
          const refused = yield* patch(root.id, body)
          expect([refused.status, (json(refused) as { error: string }).error]).toEqual([400, "invalid request body"])
        }
        expect(yield* shown(root.id)).toMatchObject({ name: "cycle-root", parent_id: null, workspace_dir: null })
      }))

    it.scoped("hibernation_idle_minutes (§2.4): set, shown by GET, cleared by null; out of range is refused and writes nothing", () =>
      Effect.gen(function* () {
        const agent = yield* startAgent(admin, "edit-idle")
        const detail = () => Effect.map(send("GET", `/workspaces/${agent.id}`, { headers: asAdmin }), (a) => json(a) as Record<string, unknown>)
        expect(answer(yield* patch(agent.id, { hibernation_idle_minutes: 15 }))).toEqual([200, { status: "updated" }])
        expect(yield* detail()).toMatchObject({ hibernation_idle_minutes: 15 })
        for (const bad of [0, -5, 525_601]) {
          const refused = yield* patch(agent.id, { hibernation_idle_minutes: bad })
          expect(refused.status).toBe(400)
          expect(json(refused)).toMatchObject({ error: expect.stringContaining("hibernation_idle_minutes") })
        }
        expect((yield* patch(agent.id, { hibernation_idle_minutes: 1.5 })).status).toBe(400)
        expect(yield* detail()).toMatchObject({ hibernation_idle_minutes: 15 })
        expect(answer(yield* patch(agent.id, { hibernation_idle_minutes: null }))).toEqual([200, { status: "updated" }])
        expect(yield* detail()).toMatchObject({ hibernation_idle_minutes: null })
      }))

    it.effect("unknown, removed and malformed ids", () =>
      Effect.gen(function* () {
        expect(answer(yield* patch("00000000-0000-4000-8000-00000000dead", { name: "n" }))).toEqual([404, { error: "workspace not found" }])
        expect(answer(yield* patch("not-a-uuid", { name: "n" }))).toEqual([400, expect.objectContaining({ error: "invalid workspace ID" })])
        const created = yield* send("POST", "/workspaces", { headers: asAdmin, body: JSON.stringify({ name: "doomed", external: true, url: "http://localhost:9" }) })
        const id = (json(created) as { readonly id: string }).id
        yield* send("DELETE", `/workspaces/${id}`, { headers: asAdmin })
        expect((yield* patch(id, { name: "n" })).status).toBe(410)
      }))
  })
})
