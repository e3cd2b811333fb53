/**
 * The workspace resource end to end (§5.2–§5.5), over the typed client and raw requests, as a function of the
 * database: the external agent's whole life, container creates in external-only mode (the real lifecycle marks them
 * failed), templates, list/get, delete with its cascade, and the Berth additions (idempotency, pagination).
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import type { Persistence } from "@berth/adapters"
import { HealthSweep, ProvisionPipeline, SecretRepository, SecretWrites, WorkspaceConfigStore, WorkspaceId } from "@berth/core"
import type { Layer } from "effect"
import { Effect, Option } from "effect"
import { removedHint } from "../../src/wire/Errors.js"
import { admin, adminSettings, clientWith, eventTypes, operator, stored } from "./Clients.js"
import { bearer } from "./Fixtures.js"
import { idempotencyTests } from "./IdempotencyTests.js"
import type { Answer } from "./TestServer.js"
import { json, send, testServer } from "./TestServer.js"

const asAdmin = bearer(admin)
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  send("POST", path, { body: JSON.stringify(body), headers: { ...asAdmin, ...headers } })

export const workspacesSuite = (name: string, database: Layer.Layer<Persistence.Services, Persistence.StartError>) =>
describe(name, () => {
  layer(testServer(adminSettings, database), { timeout: "60 seconds" })((it) => {
    it.effect("external agent: create → awaiting_agent + connection → register → online → stale → awaiting → beat → online", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const created = yield* api.workspaces.create({ payload: { name: "Remote Bot", external: true }, headers: {} })
        if (created.status !== "awaiting_agent") return expect.unreachable(`status ${created.status}`)
        const id = WorkspaceId.unsafeMake(created.id)
        const { connection } = created
        expect(connection.workspace_id).toBe(id)
        expect(connection.auth_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(connection.platform_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(connection.registry_endpoint).toBe(`${connection.platform_url}/registry/register`)
        expect(connection.heartbeat_endpoint).toBe(`${connection.platform_url}/registry/heartbeat`)
        for (const snippet of [connection.curl_register_template, connection.python_snippet, connection.claude_code_channel_snippet, connection.universal_mcp_snippet]) {
          expect(snippet).not.toContain("{{")
          expect(snippet).toContain(id)
          expect(snippet).toContain(connection.platform_url)
        }
        expect(connection.curl_register_template).toContain(`-H "Origin: ${connection.platform_url}"`)
        expect(connection.claude_code_channel_snippet).toContain("claude --channels plugin:molecule@Molecule-AI/molecule-mcp-claude-channel")
        expect(connection.universal_mcp_snippet).toContain(
          `claude mcp add molecule -s user -- env WORKSPACE_ID=${id} PLATFORM_URL=${connection.platform_url} MOLECULE_WORKSPACE_TOKEN="<paste from create response>" molecule-mcp`)
        const before = yield* api.workspaces.get({ path: { id }, urlParams: {} })
        expect(before).toMatchObject({ status: "awaiting_agent", runtime: "external" })
        expect(before.provision_timeout_ms).toBeUndefined()

        const agent = yield* clientWith(connection.auth_token)
        expect(yield* agent.registry.register({ payload: { id, agent_card: { name: "remote" }, delivery_mode: "poll" } }))
          .toMatchObject({ status: "registered", delivery_mode: "poll" })
        expect((yield* stored(id)).status).toBe("online")
        expect(yield* agent.registry.heartbeat({ payload: { workspace_id: id } })).toMatchObject({ status: "ok" })

        // the heartbeat goes stale (cutoff computed in the database): the remote pass parks it
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE workspaces SET last_heartbeat_at = now() - interval '200 seconds', updated_at = now() - interval '200 seconds' WHERE id = ${id}`
        yield* HealthSweep.remotePass
        expect((yield* stored(id)).status).toBe("awaiting_agent")
        yield* agent.registry.heartbeat({ payload: { workspace_id: id } })
        expect((yield* api.workspaces.get({ path: { id }, urlParams: {} })).status).toBe("online")

        const events = yield* eventTypes(id)
        expect(events.map((e) => [e.type, e.payload["source"]])).toEqual([
          ["WORKSPACE_PROVISIONING", "create"],
          ["WORKSPACE_AWAITING_AGENT", "create"],
          ["WORKSPACE_ONLINE", "register"],
          ["WORKSPACE_AWAITING_AGENT", "health_sweep"],
          ["WORKSPACE_ONLINE", "heartbeat"]
        ])
        expect(events[1]!.payload).toMatchObject({ name: "Remote Bot", external: true })
        expect(events[4]!.payload).toMatchObject({ recovered_from: "awaiting_agent" })
        expect((yield* api.workspaces.list({ urlParams: {} })).map((w) => w.id)).toContain(id)

        // delete: 410 afterwards, 200 with include_removed=true; the agent's heartbeat is refused with the 410 too
        expect(yield* api.workspaces.remove({ path: { id }, urlParams: {} })).toEqual({ status: "removed", cascade_deleted: 0 })
        const gone = yield* send("GET", `/workspaces/${id}`)
        expect(gone.status).toBe(410)
        const removedAt = (yield* stored(id)).updatedAt.toISOString().replace(/\.000Z$/, "Z")
        expect(json(gone)).toEqual({ error: "workspace removed", id, removed_at: removedAt, hint: removedHint })
        expect((yield* api.workspaces.get({ path: { id }, urlParams: { include_removed: "true" } })).status).toBe("removed")
        expect(yield* Effect.flip(agent.registry.heartbeat({ payload: { workspace_id: id } }))).toMatchObject({ _tag: "Gone" })
        expect((yield* api.workspaces.list({ urlParams: {} })).map((w) => w.id)).not.toContain(id)
      }))

    it.effect("external with a url: online at once; a refused url is a 400 that stores nothing", () =>
      Effect.gen(function* () {
        const count = Effect.map(send("GET", "/workspaces", { headers: asAdmin }), (a) => (json(a) as Array<unknown>).length)
        const before = yield* count
        const refused = yield* post("/workspaces", { name: "Loop", external: true, url: "http://127.0.0.1:9/agent" })
        expect(refused.status).toBe(400)
        expect((json(refused) as { error: string }).error).toMatch(/^url targets a blocked address: /)
        expect(yield* count).toBe(before)
        const answer = yield* post("/workspaces", { name: "Hosted", runtime: "external", url: "http://localhost:8123/a2a" })
        expect(answer.status).toBe(201)
        const body = json(answer) as { id: string }
        expect(body).toEqual({ id: body.id, external: true, status: "online" })
        const id = WorkspaceId.unsafeMake(body.id)
        expect(yield* stored(id)).toMatchObject({ status: "online", url: "http://localhost:8123/a2a", deliveryMode: "poll" })
        expect((yield* eventTypes(id)).map((e) => e.type)).toEqual(["WORKSPACE_PROVISIONING", "WORKSPACE_ONLINE"])
      }))

    it.effect("container runtime without a backend: 201 provisioning, then failed with the reason; config stored", () =>
      Effect.gen(function* () {
        const api = yield* operator
        // the template supplies runtime and model; the model pick and its derived provider become secrets
        const created = yield* api.workspaces.create({
          payload: { name: "Docs Bot", template: "bare", secrets: { API_KEY: "k-1" }, canvas: { x: 10, y: 20 } },
          headers: {}
        })
        const id = WorkspaceId.unsafeMake(created.id)
        expect(created).toEqual({ id, status: "provisioning", awareness_namespace: `workspace:${id}`, workspace_access: "none" })
        const row = yield* stored(id)
        expect(row).toMatchObject({ status: "failed", runtime: "hermes", tier: 3, lastSampleError: ProvisionPipeline.NO_BACKEND_REASON, x: 10, y: 20 })
        const events = yield* eventTypes(id)
        expect(events.map((e) => [e.type, e.payload["source"]])).toEqual([
          ["WORKSPACE_PROVISIONING", "create"], ["WORKSPACE_PROVISION_FAILED", "no_backend"]
        ])
        expect(events[0]!.payload).toMatchObject({ name: "Docs Bot", tier: 3, runtime: "hermes" })
        const config = yield* Effect.flatMap(WorkspaceConfigStore, (s) => s.get(id))
        expect(config).toEqual(Option.some({ name: "Docs Bot", runtime: "hermes", tier: 3, template: "bare" }))
        const secrets = yield* SecretRepository
        expect(yield* secrets.getWorkspace(id, SecretWrites.MODEL_KEY)).toEqual(Option.some("nousresearch/hermes-4"))
        expect(yield* secrets.getWorkspace(id, SecretWrites.PROVIDER_KEY)).toEqual(Option.some("openrouter"))
        expect(yield* secrets.getWorkspace(id, "API_KEY")).toEqual(Option.some("k-1"))
        // an unknown runtime falls back to claude-code; an unknown model prefix writes only MODEL_PROVIDER
        const other = yield* api.workspaces.create({ payload: { name: "Plain", runtime: "cobol", model: "acme/x-1" }, headers: {} })
        const otherId = WorkspaceId.unsafeMake(other.id)
        expect((yield* stored(otherId)).runtime).toBe("claude-code")
        expect(yield* secrets.getWorkspace(otherId, SecretWrites.MODEL_KEY)).toEqual(Option.some("acme/x-1"))
        expect(yield* secrets.getWorkspace(otherId, SecretWrites.PROVIDER_KEY)).toEqual(Option.none())
        // provision_timeout_ms: the `full` template declares 900 s for claude-code; hermes keeps its 30 min default
        const listed = new Map((yield* api.workspaces.list({ urlParams: {} })).map((w) => [w.id, w]))
        expect(listed.get(id)?.provision_timeout_ms).toBe(1_800_000)
        expect(listed.get(otherId)?.provision_timeout_ms).toBe(900_000)
        // upstream COALESCEs url, last_sample_error and current_task to "": strings, never null; role and workspace_dir stay null
        expect(listed.get(id)).toMatchObject({
          status: "failed", role: null, url: "", last_sample_error: ProvisionPipeline.NO_BACKEND_REASON, current_task: "",
          workspace_dir: null, budget_limit: null, agent_card: null
        })
        const raw = json(yield* send("GET", "/workspaces", { headers: asAdmin })) as ReadonlyArray<Record<string, unknown>>
        expect(raw.find((w) => w["id"] === id)).toMatchObject({ url: "", current_task: "", role: null, workspace_dir: null })
        const detail = json(yield* send("GET", `/workspaces/${id}`)) as Record<string, unknown>
        expect(Object.keys(detail)).toEqual([
          "id", "name", "role", "tier", "status", "url", "parent_id", "active_tasks", "max_concurrent_tasks",
          "last_error_rate", "last_sample_error", "uptime_seconds", "runtime", "x", "y", "collapsed", "agent_card",
          "provision_timeout_ms", "last_outbound_at", "hibernation_idle_minutes", "idle_since"
        ])
        // a workspace failed for lack of a backend says why on itself, not only in /events
        expect(detail).toMatchObject({ status: "failed", url: "", role: null, last_sample_error: ProvisionPipeline.NO_BACKEND_REASON })
        // a workspace that never failed: the same fields are "" (not null) in list and get
        const fresh = yield* api.workspaces.create({ payload: { name: "Quiet", external: true }, headers: {} })
        const quiet = json(yield* send("GET", `/workspaces/${fresh.id}`)) as Record<string, unknown>
        expect(quiet).toMatchObject({ url: "", last_sample_error: "", role: null })
        const quietListed = (json(yield* send("GET", "/workspaces", { headers: asAdmin })) as ReadonlyArray<Record<string, unknown>>)
          .find((w) => w["id"] === fresh.id)
        expect(quietListed).toMatchObject({ url: "", last_sample_error: "", current_task: "", role: null, workspace_dir: null })
      }))

    it.effect("delete: 409 for a subtree without confirm, cascade with it, a retry is safe, purge hard-deletes", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const make = (name: string, parent?: string) =>
          Effect.map(api.workspaces.create({ payload: { name, external: true, ...(parent === undefined ? {} : { parent_id: parent }) }, headers: {} }),
            (c) => WorkspaceId.unsafeMake(c.id))
        const root = yield* make("root")
        const child = yield* make("child", root)
        const grandchild = yield* make("grandchild", child)
        const refused = yield* send("DELETE", `/workspaces/${root}`, { headers: asAdmin })
        expect(refused.status).toBe(409)
        expect(json(refused)).toEqual({
          status: "confirmation_required",
          message: "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.",
          children: [{ id: child, name: "child" }],
          children_count: 1
        })
        expect((yield* stored(root)).status).toBe("awaiting_agent")
        expect(yield* api.workspaces.remove({ path: { id: root }, urlParams: { confirm: "true" } })).toEqual({ status: "removed", cascade_deleted: 2 })
        for (const id of [root, child, grandchild]) expect((yield* stored(id)).status).toBe("removed")
        const removals = (yield* eventTypes(root)).filter((e) => e.type === "WORKSPACE_REMOVED")
        expect(removals.map((e) => e.payload)).toEqual([{ cascade_deleted: 2, source: "delete" }])
        expect((yield* eventTypes(child)).at(-1)?.payload).toEqual({ source: "delete" })
        // a retry collects every descendant again and records nothing new
        expect(yield* api.workspaces.remove({ path: { id: root }, urlParams: {} })).toEqual({ status: "removed", cascade_deleted: 2 })
        expect((yield* eventTypes(root)).filter((e) => e.type === "WORKSPACE_REMOVED")).toHaveLength(1)
        // purge: rows gone (404), their events kept
        const lone = yield* make("lone")
        expect(yield* api.workspaces.remove({ path: { id: lone }, urlParams: { purge: "true" } })).toEqual({ status: "purged", cascade_deleted: 0 })
        expect(yield* Effect.flip(api.workspaces.get({ path: { id: lone }, urlParams: { include_removed: "true" } }))).toMatchObject({ _tag: "NotFound" })
        expect((yield* eventTypes(lone)).map((e) => e.type)).toContain("WORKSPACE_REMOVED")
        expect(yield* Effect.flip(api.workspaces.remove({ path: { id: lone }, urlParams: {} }))).toMatchObject({ _tag: "NotFound", error: "workspace not found" })
      }))

    it.effect("GET /workspaces pages with ?cursor (next cursor in X-Next-Cursor); without it, the answer is unchanged", () =>
      Effect.gen(function* () {
        const api = yield* operator
        yield* Effect.forEach([1, 2, 3, 4, 5], (n) => api.workspaces.create({ payload: { name: `paged-${n}`, external: true }, headers: {} }))
        const whole = yield* send("GET", "/workspaces", { headers: asAdmin })
        expect(whole.headers["x-next-cursor"]).toBeUndefined()
        // `limit` alone does not page: the body is byte for byte the unpaged one
        expect((yield* send("GET", "/workspaces?limit=2", { headers: asAdmin })).text).toBe(whole.text)
        const pages: Array<Array<{ id: string }>> = []
        let next: string | undefined = ""
        while (next !== undefined && pages.length < 100) {
          const page: Answer = yield* send("GET", `/workspaces?cursor=${encodeURIComponent(next)}&limit=2`, { headers: asAdmin })
          expect(page.status).toBe(200)
          pages.push(json(page) as Array<{ id: string }>)
          next = page.headers["x-next-cursor"]
        }
        expect(pages.flat()).toEqual(json(whole))
        expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true)
        const bad = yield* send("GET", "/workspaces?cursor=garbage", { headers: asAdmin })
        expect([bad.status, json(bad)]).toEqual([400, { error: "invalid cursor" }])
      }))

    idempotencyTests(it)
  })
})
