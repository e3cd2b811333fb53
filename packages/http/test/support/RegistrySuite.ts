/** The registry routes (§5.11) end to end, as a function of the database they run on. */
import { EventLog, InboundSecrets, StatusWrites, TokenRepository, Transitions, WorkspaceId, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import type { Persistence } from "@berth/adapters"
import type { Layer } from "effect"
import { Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import { bearer, onlineWorkspace, tokenFor } from "./Fixtures.js"
import { json, send, testServer } from "./TestServer.js"

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  send("POST", path, { body: typeof body === "string" ? body : JSON.stringify(body), headers })

const card = { name: "agent", skills: [] }

const stored = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (r) => r.get(id)).pipe(Effect.map(Option.getOrThrow))

const eventsOf = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(EventLog, (log) => log.latest(100, id))

/** The registry suite over a database (PGlite here; Postgres in RegistryPostgres.test.ts). */
export const registrySuite = (name: string, database: Layer.Layer<Persistence.Services, Persistence.StartError>) =>
describe(name, () => {
  layer(testServer({}, database), { timeout: "60 seconds" })((it) => {
    it.effect("bootstrap register of an unknown id: online row, auth_token once, inbound secret, WORKSPACE_ONLINE", () =>
      Effect.gen(function* () {
        const id = WorkspaceId.unsafeMake(randomUUID())
        const first = yield* post("/registry/register", { id, agent_card: card, delivery_mode: "poll" })
        expect(first.status).toBe(200)
        const body = json(first) as Record<string, string>
        expect(body["status"]).toBe("registered")
        expect(body["delivery_mode"]).toBe("poll")
        expect(body["auth_token"]).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(body["platform_inbound_secret"]).toMatch(/^[A-Za-z0-9_-]{43}$/)
        const row = yield* stored(id)
        expect(row.status).toBe("online")
        expect(row.agentCard).toEqual(card)
        expect(row.deliveryMode).toBe("poll")
        const events = yield* eventsOf(id)
        expect(events.map((e) => e.type)).toEqual(["WORKSPACE_ONLINE"])
        expect(events[0]!.payload).toMatchObject({ agent_card: card, delivery_mode: "poll", source: "register" })

        // re-register: the gate now wants the token, and no new token is issued
        const missing = yield* post("/registry/register", { id, agent_card: card })
        expect(missing.status).toBe(401)
        expect(json(missing)).toEqual({ error: "missing workspace auth token" })
        const wrong = yield* post("/registry/register", { id, agent_card: card }, bearer("not-a-token"))
        expect(wrong.status).toBe(401)
        expect(json(wrong)).toEqual({ error: "invalid workspace auth token" })
        const again = yield* post("/registry/register", { id, agent_card: card }, bearer(body["auth_token"]!))
        expect(again.status).toBe(200)
        const againBody = json(again) as Record<string, string>
        expect(againBody["auth_token"]).toBeUndefined()
        // the stored mode is kept when the payload has none; the secret is the same one
        expect(againBody["delivery_mode"]).toBe("poll")
        expect(againBody["platform_inbound_secret"]).toBe(body["platform_inbound_secret"])
      }))

    it.effect("a JSON body sent as form data (curl -d) is still read as JSON (§0)", () =>
      Effect.gen(function* () {
        const id = WorkspaceId.unsafeMake(randomUUID())
        const answer = yield* send("POST", "/registry/register", {
          body: JSON.stringify({ id, agent_card: card, delivery_mode: "poll" }),
          headers: { "content-type": "application/x-www-form-urlencoded" }
        })
        expect(answer.status).toBe(200)
        expect((yield* stored(id)).status).toBe("online")
      }))

    it.effect("`workspace_id` is an alias of `id`; `id` wins when both are given", () =>
      Effect.gen(function* () {
        const a = WorkspaceId.unsafeMake(randomUUID())
        const b = WorkspaceId.unsafeMake(randomUUID())
        expect((yield* post("/registry/register", { workspace_id: a, agent_card: card, delivery_mode: "poll" })).status).toBe(200)
        expect((yield* stored(a)).status).toBe("online")
        expect((yield* post("/registry/register", { id: b, workspace_id: "not-a-uuid", agent_card: card, delivery_mode: "poll" })).status).toBe(200)
        expect((yield* stored(b)).status).toBe("online")
      }))

    it.effect("bad bodies → the contract's 400s and nothing stored", () =>
      Effect.gen(function* () {
        const id = randomUUID()
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          ["{not json", "invalid request body"],
          [{ agent_card: card }, "invalid request body"],
          [{ id }, "invalid request body"],
          [{ id, agent_card: "not an object" }, "invalid request body"],
          [{ id: 42, agent_card: card }, "invalid request body"],
          [[1, 2], "invalid request body"],
          [{ id: "abc", agent_card: card }, "invalid workspace ID"],
          [{ id, agent_card: card, delivery_mode: "carrier-pigeon" }, "delivery_mode must be 'push' or 'poll'"],
          [{ id, agent_card: card, delivery_mode: "push" }, "url is required for push-mode workspaces"],
          [{ id, agent_card: card }, "url is required for push-mode workspaces"]
        ]
        for (const [body, error] of cases) {
          const answer = yield* post("/registry/register", body)
          expect(answer.status, JSON.stringify(body)).toBe(400)
          expect(json(answer)).toMatchObject({ error })
        }
        const row = yield* Effect.flatMap(WorkspaceStore, (r) => r.get(WorkspaceId.unsafeMake(id)))
        expect(Option.isNone(row)).toBe(true)
      }))

    it.effect("push mode checks the agent URL (§9.6) and stores it", () =>
      Effect.gen(function* () {
        const id = WorkspaceId.unsafeMake(randomUUID())
        const refused = yield* post("/registry/register", { id, agent_card: card, url: "ftp://agent.example", delivery_mode: "push" })
        expect(refused.status).toBe(400)
        expect(json(refused)).toEqual({ error: "url scheme must be http or https" })
        const ok = yield* post("/registry/register", { id, agent_card: card, url: "http://localhost:9000", delivery_mode: "push" })
        expect(ok.status).toBe(200)
        expect((yield* stored(id)).url).toBe("http://localhost:9000")
      }))

    it.effect("a removed workspace → 410 {error,id,removed_at,hint} on register and heartbeat", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        yield* Effect.flatMap(WorkspaceStore, (r) => r.markRemoved([{ id, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }]))
        const removedAt = (yield* stored(id)).updatedAt.toISOString().replace(/\.000Z$/, "Z")
        const expected = {
          error: "workspace removed",
          id,
          removed_at: removedAt,
          hint: "Regenerate workspace + token from the canvas → Tokens tab"
        }
        const reg = yield* post("/registry/register", { id, agent_card: card, delivery_mode: "poll" })
        expect(reg.status).toBe(410)
        expect(json(reg)).toEqual(expected)
        const beat = yield* post("/registry/heartbeat", { workspace_id: id })
        expect(beat.status).toBe(410)
        expect(json(beat)).toEqual(expected)
      }))

    it.effect("heartbeat: 400s, unknown → 404, token gate", () =>
      Effect.gen(function* () {
        expect(json(yield* post("/registry/heartbeat", {}))).toMatchObject({ error: "invalid request body" })
        expect(json(yield* post("/registry/heartbeat", { workspace_id: "x" }))).toEqual({ error: "invalid workspace ID" })
        expect(json(yield* post("/registry/heartbeat", { workspace_id: randomUUID(), error_rate: "high" }))).toMatchObject({ error: "invalid request body" })
        const unknown = yield* post("/registry/heartbeat", { workspace_id: randomUUID() })
        expect(unknown.status).toBe(404)
        expect(json(unknown)).toEqual({ error: "workspace not found" })
        const id = yield* onlineWorkspace
        const token = (yield* Effect.flatMap(TokenRepository, (t) => t.issue(id))).token
        expect((yield* post("/registry/heartbeat", { workspace_id: id })).status).toBe(401)
        expect((yield* post("/registry/heartbeat", { workspace_id: id }, bearer(token))).status).toBe(200)
      }))

    it.effect("heartbeat stores liveness, echoes the secret on every beat and moves statuses (§2.3)", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const statusWrites = yield* StatusWrites
        // What the remote pass does to a stale row, applied to this one.
        const awaiting: Transitions.RowTransition = {
          name: "testAwaiting", from: ["online"], to: "awaiting_agent", event: "WORKSPACE_AWAITING_AGENT", source: "health_sweep",
          payload: () => ({})
        }
        yield* statusWrites.transition({ id, row: awaiting, input: undefined })
        const first = yield* post("/registry/heartbeat", { workspace_id: id, active_tasks: 2, uptime_seconds: 30, current_task: "build", monthly_spend: 5 })
        expect(first.status).toBe(200)
        const secret = (json(first) as Record<string, string>)["platform_inbound_secret"]
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
        let row = yield* stored(id)
        expect(row.status).toBe("online")
        expect(row.activeTasks).toBe(2)
        expect(row.currentTask).toBe("build")
        expect(row.monthlySpend).toBe(5)
        expect(row.lastHeartbeatAt).not.toBeNull()
        const online = (yield* eventsOf(id))[0]!
        expect(online.type).toBe("WORKSPACE_ONLINE")
        expect(online.payload).toEqual({ recovered_from: "awaiting_agent", source: "heartbeat" })

        const degraded = yield* post("/registry/heartbeat", { workspace_id: id, error_rate: 0.6, sample_error: "boom" })
        expect(json(degraded)).toEqual({ status: "ok", platform_inbound_secret: secret })
        row = yield* stored(id)
        expect(row.status).toBe("degraded")
        expect(row.monthlySpend).toBe(5) // 0 never overwrites
        expect((yield* eventsOf(id))[0]!.payload).toEqual({ error_rate: 0.6, sample_error: "boom", source: "heartbeat" })

        yield* post("/registry/heartbeat", { workspace_id: id, error_rate: 0.05 })
        expect((yield* stored(id)).status).toBe("online")

        // with status_mgmt the agent manages its own status: a high error rate changes nothing
        yield* post("/registry/heartbeat", { workspace_id: id, error_rate: 0.9, runtime_metadata: { capabilities: { status_mgmt: true } } })
        expect((yield* stored(id)).status).toBe("online")
        // wedged degrades even then
        yield* post("/registry/heartbeat", { workspace_id: id, runtime_state: "wedged", sample_error: "stuck", runtime_metadata: { capabilities: { status_mgmt: true } } })
        expect((yield* stored(id)).status).toBe("degraded")
        expect((yield* eventsOf(id))[0]!.payload).toEqual({ runtime_state: "wedged", sample_error: "stuck", source: "heartbeat" })
      }))

    it.effect("concurrent beats (batched) are each answered their own: 200s with their secrets, a 410, a 401", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const inboundSecrets = yield* InboundSecrets
        const ids = yield* Effect.forEach(Array.from({ length: 30 }), () => onlineWorkspace)
        const tokens = yield* Effect.forEach(ids, tokenFor)
        const [gone, guarded] = [yield* onlineWorkspace, yield* onlineWorkspace]
        yield* tokenFor(guarded)
        yield* store.markRemoved([{ id: gone, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }])
        const answers = yield* Effect.all([
          ...ids.map((id, i) => post("/registry/heartbeat", { workspace_id: id, active_tasks: i }, bearer(tokens[i]!))),
          post("/registry/heartbeat", { workspace_id: gone }),
          post("/registry/heartbeat", { workspace_id: guarded, active_tasks: 99 }, bearer(tokens[0]!))
        ], { concurrency: "unbounded" })
        expect(answers.slice(0, ids.length).map((a) => a.status)).toEqual(ids.map(() => 200))
        const echoed = answers.slice(0, ids.length).map((a) => (json(a) as Record<string, string>)["platform_inbound_secret"])
        expect(echoed).toEqual(yield* Effect.forEach(ids, (id) => inboundSecrets.readInboundSecret(id)))
        expect((yield* Effect.forEach(ids, stored)).map((w) => w.activeTasks)).toEqual(ids.map((_, i) => i))
        expect(answers[ids.length]!.status).toBe(410)
        expect(json(answers[ids.length + 1]!)).toEqual({ error: "invalid workspace auth token" })
        expect((yield* stored(guarded)).activeTasks).toBe(0)
      }))

    it.effect("update-card stores the card and records AGENT_CARD_UPDATED", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        const next = { name: "agent", version: 2 }
        const answer = yield* post("/registry/update-card", { workspace_id: id, agent_card: next })
        expect(answer.status).toBe(200)
        expect(json(answer)).toEqual({ status: "updated" })
        expect((yield* stored(id)).agentCard).toEqual(next)
        expect((yield* eventsOf(id))[0]).toMatchObject({ type: "AGENT_CARD_UPDATED", payload: { agent_card: next } })
        expect(json(yield* post("/registry/update-card", { workspace_id: id }))).toMatchObject({ error: "invalid request body" })
        expect((yield* post("/registry/update-card", { workspace_id: randomUUID(), agent_card: next })).status).toBe(404)
      }))
  })
})

