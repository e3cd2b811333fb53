/** `…/model`, `…/provider` (§5.7) and `…/secrets` (§5.8) over the typed client: round trips, scopes, 404s. */
import { describe, expect, layer } from "@effect/vitest"
import { SecretRepository, SecretWrites, WorkspaceId } from "@berth/core"
import { Effect, Option } from "effect"
import { admin, adminSettings, operator } from "./support/Clients.js"
import { bearer, tokenFor } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const externalWorkspace = Effect.flatMap(operator, (api) =>
  api.workspaces.create({ payload: { name: "models", external: true, model: "minimax/MiniMax-M2.7" }, headers: {} })).pipe(
  Effect.map((c) => WorkspaceId.unsafeMake(c.id))
)

describe("model, provider and workspace secrets (§5.7, §5.8)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("create's model pick reads back with its derived LLM_PROVIDER; PUT saves, empty clears", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const id = yield* externalWorkspace
        expect(yield* api.modelProvider.getModel({ path: { id } })).toEqual({ model: "minimax/MiniMax-M2.7", source: "workspace_secrets" })
        expect(yield* api.modelProvider.getProvider({ path: { id } })).toEqual({ provider: "minimax", source: "workspace_secrets" })
        expect(yield* api.modelProvider.putModel({ path: { id }, payload: { model: "anthropic/claude-x" } }))
          .toEqual({ status: "saved", model: "anthropic/claude-x" })
        expect(yield* api.modelProvider.getModel({ path: { id } })).toEqual({ model: "anthropic/claude-x", source: "workspace_secrets" })
        // PUT model writes the model only: the provider hint is its own key
        expect((yield* api.modelProvider.getProvider({ path: { id } })).provider).toBe("minimax")
        expect(yield* api.modelProvider.putProvider({ path: { id }, payload: { provider: "openrouter" } }))
          .toEqual({ status: "saved", provider: "openrouter" })
        expect(yield* api.modelProvider.getProvider({ path: { id } })).toEqual({ provider: "openrouter", source: "workspace_secrets" })
        expect(yield* api.modelProvider.putModel({ path: { id }, payload: { model: "" } })).toEqual({ status: "cleared" })
        expect(yield* api.modelProvider.putProvider({ path: { id }, payload: {} })).toEqual({ status: "cleared" })
        expect(yield* api.modelProvider.getModel({ path: { id } })).toEqual({ model: "", source: "default" })
        expect(yield* api.modelProvider.getProvider({ path: { id } })).toEqual({ provider: "", source: "default" })
        const secrets = yield* SecretRepository
        expect(yield* secrets.getWorkspace(id, SecretWrites.MODEL_KEY)).toEqual(Option.none())
        // bad bodies
        for (const body of ["{bad", "{\"model\":5}", "[]"]) {
          const answer = yield* send("PUT", `/workspaces/${id}/model`, { body, headers: bearer(admin) })
          expect([answer.status, json(answer)], body).toEqual([400, expect.objectContaining({ error: "invalid request body" })])
        }
      }))

    it.effect("secrets: workspace keys then inherited globals, never values; save/update/delete; 404s", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const id = yield* externalWorkspace
        yield* api.adminSecrets.save({ payload: { key: "SHARED", value: "global" } })
        yield* api.adminSecrets.save({ payload: { key: "ZZ_GLOBAL_ONLY", value: "g" } })
        expect(yield* api.workspaceSecrets.create({ path: { id }, payload: { key: "SHARED", value: "mine" } })).toEqual({ status: "saved", key: "SHARED" })
        expect(yield* api.workspaceSecrets.update({ path: { id }, payload: { key: "A_KEY", value: "v1" } })).toEqual({ status: "saved", key: "A_KEY" })
        yield* api.workspaceSecrets.update({ path: { id }, payload: { key: "A_KEY", value: "v2" } })
        const listed = yield* api.workspaceSecrets.list({ path: { id } })
        const scoped = listed.map((s) => [s.key, s.scope])
        expect(scoped).toEqual(expect.arrayContaining([["A_KEY", "workspace"], ["SHARED", "workspace"], ["ZZ_GLOBAL_ONLY", "global"]]))
        expect(scoped.filter(([k]) => k === "SHARED")).toHaveLength(1)
        // workspace keys come first
        expect(scoped.findIndex(([, s]) => s === "global")).toBeGreaterThan(scoped.findIndex(([k]) => k === "SHARED"))
        expect(listed.every((s) => s.has_value === true && !("value" in s))).toBe(true)
        expect(yield* (yield* SecretRepository).getWorkspace(id, "A_KEY")).toEqual(Option.some("v2"))
        expect(yield* api.workspaceSecrets.remove({ path: { id, key: "A_KEY" } })).toEqual({ status: "deleted", key: "A_KEY" })
        expect(yield* Effect.flip(api.workspaceSecrets.remove({ path: { id, key: "A_KEY" } })))
          .toMatchObject({ _tag: "NotFound", error: "secret not found" })
        for (const body of [{ key: "K" }, { value: "v" }, { key: "", value: "v" }]) {
          const answer = yield* send("POST", `/workspaces/${id}/secrets`, { body: JSON.stringify(body), headers: bearer(admin) })
          expect([answer.status, json(answer)]).toEqual([400, { error: "key and value are required" }])
        }
      }))

    it.effect("unknown → 404, removed → 410; a workspace token reaches only its own workspace", () =>
      Effect.gen(function* () {
        const unknown = "6b1f8a52-1111-4c0e-9a8e-2f3d3c1b0a99"
        for (const path of [`/workspaces/${unknown}/model`, `/workspaces/${unknown}/provider`, `/workspaces/${unknown}/secrets`]) {
          const answer = yield* send("GET", path, { headers: bearer(admin) })
          expect([answer.status, json(answer)], path).toEqual([404, { error: "workspace not found" }])
        }
        const id = yield* externalWorkspace
        const other = yield* externalWorkspace
        const token = yield* tokenFor(id)
        expect((yield* send("GET", `/workspaces/${id}/secrets`, { headers: bearer(token) })).status).toBe(200)
        const foreign = yield* send("GET", `/workspaces/${other}/secrets`, { headers: bearer(token) })
        expect([foreign.status, json(foreign)]).toEqual([401, { error: "invalid workspace auth token" }])
        expect((yield* send("DELETE", `/workspaces/${id}`, { headers: bearer(admin) })).status).toBe(200)
        const gone = yield* send("PUT", `/workspaces/${id}/model`, { body: "{\"model\":\"x/y\"}", headers: bearer(admin) })
        expect(gone.status).toBe(410)
        expect(json(gone)).toMatchObject({ error: "workspace removed", id })
      }))
  })
})
