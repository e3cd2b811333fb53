/**
 * `GET /workspaces/:id/terminal/diagnose` (§5.12) in external-only mode: KI-005 first (§4.5), then always 200 — the
 * local stages stop at `docker-available`, the remote ones at the probe that has no CP behind it.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { TerminalDiagnosis, TokenRepository, WorkspaceId, WorkspaceStore } from "@berth/core"
import { Effect } from "effect"
import { remoteProbeUnavailable } from "../src/Backend.js"
import { forbiddenMessage, toWire } from "../src/handlers/TerminalDiagnoseHttp.js"
import { admin, adminSettings, operator } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const diagnose = (id: string, headers: Record<string, string> = bearer(admin)) =>
  send("GET", `/workspaces/${id}/terminal/diagnose`, { headers })

const createWorkspace = (name: string, parentId?: string) =>
  Effect.flatMap(operator, (api) =>
    api.workspaces.create({ payload: { name, external: true, ...(parentId === undefined ? {} : { parent_id: parentId }) }, headers: {} })
  ).pipe(Effect.map((c) => WorkspaceId.unsafeMake(c.id)))

const localFailure = (id: string) => ({
  workspace_id: id,
  remote: false,
  ok: false,
  first_failure: "docker-available",
  steps: [{ name: "docker-available", ok: false, duration_ms: 0, error: TerminalDiagnosis.dockerMissing }]
})

describe("terminal diagnosis (§5.12)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("an external workspace (no instance id): 200, first_failure docker-available; unknown ids too", () =>
      Effect.gen(function* () {
        const id = yield* createWorkspace("ext")
        const answer = yield* diagnose(id)
        expect([answer.status, json(answer)]).toEqual([200, localFailure(id)])
        const unknown = "5a0e8f0c-9d2b-4b7a-8c1d-3e4f5a6b7c8d"
        expect(json(yield* diagnose(unknown))).toEqual(localFailure(unknown))
        // the typed client reads the same answer
        const api = yield* operator
        expect(yield* api.terminalDiagnose.diagnose({ path: { id } })).toEqual(localFailure(id))
      }))

    it.effect("an instance id on file: the remote stages, through the probe of this mode", () =>
      Effect.gen(function* () {
        const id = yield* createWorkspace("machine")
        yield* Effect.flatMap(WorkspaceStore, (r) => r.setInstanceId(id, "i-0abc"))
        const steps = yield* remoteProbeUnavailable.diagnose(id, "i-0abc")
        expect(json(yield* diagnose(id))).toEqual({
          workspace_id: id,
          instance_id: "i-0abc",
          remote: true,
          ok: false,
          first_failure: "ssh-keygen",
          steps: [{ name: "ssh-keygen", ok: false, duration_ms: 0, error: steps[0]!.error }]
        })
      }))

    it.effect("KI-005 runs first: a claimed caller needs its own token (unless org-authenticated) and CanCommunicate", () =>
      Effect.gen(function* () {
        const rootA = yield* createWorkspace("root-a")
        const childA = yield* createWorkspace("child-a", rootA)
        const rootB = yield* createWorkspace("root-b")
        const childB = yield* createWorkspace("child-b", rootB)
        const org = (yield* Effect.flatMap(TokenRepository, (t) => t.issueOrg({ name: "ops", createdBy: null, orgId: null }))).token
        const claim = (caller: string) => ({ "x-workspace-id": caller })
        // the admin bearer is not the claimed caller's token
        const claimed = yield* diagnose(childB, { ...bearer(admin), ...claim(childA) })
        expect([claimed.status, json(claimed)]).toEqual([401, { error: "invalid token for claimed workspace" }])
        // org-authenticated: no token check, but cousins may not talk
        const cousins = yield* diagnose(childB, { ...bearer(org), ...claim(childA) })
        expect([cousins.status, json(cousins)]).toEqual([403, { error: forbiddenMessage }])
        // an ancestor may, and so may the caller itself
        expect((yield* diagnose(childA, { ...bearer(org), ...claim(rootA) })).status).toBe(200)
        expect((yield* diagnose(childA, { ...bearer(admin), ...claim(childA) })).status).toBe(200)
        // WorkspaceAuth still comes before it
        const anonymous = yield* diagnose(childA, claim(rootA))
        expect([anonymous.status, json(anonymous)]).toEqual([401, { error: "missing workspace auth token" }])
      }))
  })
})

describe("the diagnosis answer", () => {
  it("stops at the first failure, is ok only when every step passed, omits empty fields", () => {
    const passed = { name: "a", ok: true, durationMs: 1.4, detail: "" }
    const failed = { name: "b", ok: false, durationMs: 2, error: "boom", detail: "out" }
    const later = { name: "c", ok: true, durationMs: 3 }
    expect(toWire("w", "", [passed, failed, later])).toEqual({
      workspace_id: "w",
      remote: false,
      ok: false,
      first_failure: "b",
      steps: [{ name: "a", ok: true, duration_ms: 1 }, { name: "b", ok: false, duration_ms: 2, error: "boom", detail: "out" }]
    })
    expect(toWire("w", "i-1", [passed, later])).toEqual({
      workspace_id: "w", instance_id: "i-1", remote: true, ok: true,
      steps: [{ name: "a", ok: true, duration_ms: 1 }, { name: "c", ok: true, duration_ms: 3 }]
    })
    expect(toWire("w", "", []).ok).toBe(false)
  })
})
