/**
 * `POST /workspaces/:id/restart` (§5.6) in external-only mode: 404, 410, the paused-ancestor 409, the external no-op
 * (which writes nothing), and the 503 of a container workspace without a backend.
 */
import { describe, expect, layer } from "@effect/vitest"
import { EventLog, StatusWrites, Transitions, WorkspaceId } from "@berth/core"
import { Effect } from "effect"
import { externalNoop } from "../src/handlers/RestartHttp.js"
import { admin, adminSettings, operator, stored } from "./support/Clients.js"
import { bearer, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const restart = (id: string, body?: string, headers: Record<string, string> = bearer(admin)) =>
  send("POST", `/workspaces/${id}/restart`, { headers, ...(body === undefined ? {} : { body }) })

const createWorkspace = (payload: { name: string; external?: boolean; parent_id?: string }) =>
  Effect.flatMap(operator, (api) => api.workspaces.create({ payload, headers: {} })).pipe(Effect.map((c) => WorkspaceId.unsafeMake(c.id)))

describe("POST /workspaces/:id/restart (§5.6)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("unknown → 404, removed → 410, non-UUID → 400", () =>
      Effect.gen(function* () {
        const unknown = yield* restart("0d6e2a51-3b1c-4f6e-8a70-5a8b4c3d2e1f")
        expect([unknown.status, json(unknown)]).toEqual([404, { error: "workspace not found" }])
        const bad = yield* restart("nope")
        expect([bad.status, json(bad)]).toEqual([400, expect.objectContaining({ error: "invalid workspace ID" })])
        const id = yield* createWorkspace({ name: "gone", external: true })
        yield* send("DELETE", `/workspaces/${id}`, { headers: bearer(admin) })
        const gone = yield* restart(id)
        expect(gone.status).toBe(410)
        expect(json(gone)).toMatchObject({ error: "workspace removed", id })
      }))

    it.effect("external: 200 no-op before any write — no status change, no event, no token revoked", () =>
      Effect.gen(function* () {
        const id = yield* createWorkspace({ name: "ext", external: true })
        const token = yield* tokenFor(id)
        const before = yield* stored(id)
        const events = (yield* Effect.flatMap(EventLog, (l) => l.latest(100, id))).length
        // its own token is enough (WorkspaceAuth), and any body is fine: nothing is read past the no-op
        const answer = yield* restart(id, "{not json", bearer(token))
        expect([answer.status, json(answer)]).toEqual([200, externalNoop])
        const after = yield* stored(id)
        expect([after.status, after.updatedAt.getTime()]).toEqual([before.status, before.updatedAt.getTime()])
        expect((yield* Effect.flatMap(EventLog, (l) => l.latest(100, id))).length).toBe(events)
        expect((yield* send("GET", `/workspaces/${id}/secrets`, { headers: bearer(token) })).status).toBe(200)
        // the typed client reads the no-op too
        const api = yield* operator
        expect(yield* api.restart.restart({ path: { id }, payload: {}, urlParams: {} })).toEqual(externalNoop)
      }))

    it.effect("a paused ancestor → 409 naming it; a container workspace without a backend → 503", () =>
      Effect.gen(function* () {
        const statusWrites = yield* StatusWrites
        const grandparent = yield* createWorkspace({ name: "Team Lead", external: true })
        const parent = yield* createWorkspace({ name: "middle", external: true, parent_id: grandparent })
        const child = yield* createWorkspace({ name: "worker", parent_id: parent })
        // No use case pauses yet: a set-up row of its own.
        const pause: Transitions.RowTransition = {
          name: "testPause", from: Transitions.anyButRemoved, to: "paused", event: "WORKSPACE_OFFLINE", source: "user_restart",
          payload: () => ({})
        }
        yield* statusWrites.transition({ id: grandparent, row: pause, input: undefined })
        const blocked = yield* restart(child, "")
        expect([blocked.status, json(blocked)]).toEqual([409, { error: "parent workspace \"Team Lead\" is paused — resume it first" }])
        const lone = yield* createWorkspace({ name: "container" })
        const status = (yield* stored(lone)).status
        const noBackend = yield* restart(lone, JSON.stringify({ reset: true }))
        expect([noBackend.status, json(noBackend)]).toEqual([503, { error: "provisioner not available" }])
        expect((yield* stored(lone)).status).toBe(status)
      }))
  })
})
