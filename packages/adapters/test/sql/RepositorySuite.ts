/**
 * The one repository suite, a function of a Layer: the PGlite and Postgres test files run it with identical assertions.
 * The database is shared by the tests of a file, so each test creates its own workspaces and asserts on their ids.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import type { Errors, WorkspaceId } from "@berth/core"
import {
  AgentRegistrations, EventLog, InboundSecrets, SecretRepository, StatusWrites, SweepCandidates, TokenRepository,
  Transitions, WorkspaceHierarchy, WorkspaceStatus, WorkspaceStore
} from "@berth/core"
import { Effect, Either, Option } from "effect"
import type { Layer } from "effect"
import type { Services } from "../../src/sql/Persistence.js"
import { Rows } from "../../src/testing/index.js"
import { checkStatusEnum, databaseStatuses, statusEnumDrift } from "../../src/sql/Migrations.js"
import { activitySuite } from "./ActivitySuite.js"
import { heartbeatSuite } from "./HeartbeatSuite.js"
import { idempotencyPagesSuite } from "./IdempotencyPagesSuite.js"
import { sweepSuite } from "./SweepSuite.js"
import { tokenSecretSuite } from "./TokenSecretSuite.js"

export const { create, event, newWorkspace, setStatus, setUpRow } = Rows

/** Number of recorded events of a workspace. */
export const eventCount = (id: WorkspaceId.WorkspaceId): Effect.Effect<number, Errors.DatastoreUnavailable, EventLog> =>
  Effect.flatMap(EventLog, (log) => Effect.map(log.latest(1000, id), (events) => events.length))

/** Backdates a timestamp column of a workspace (tests only: the sweeps compare with the database clock). */
export const backdate = (
  id: WorkspaceId.WorkspaceId,
  column: "updated_at" | "last_heartbeat_at",
  seconds: number
) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`UPDATE workspaces SET ${sql(column)} = now() - make_interval(secs => ${seconds}::float8) WHERE id = ${id}`)

export const repositorySuite = <E>(name: string, services: Layer.Layer<Services, E>) =>
  layer(services, { excludeTestServices: true, timeout: "60 seconds" })(name, (it) => {
    it.effect("the workspace_status enum equals core's list", () =>
      Effect.gen(function* () {
        expect(yield* databaseStatuses).toEqual([...WorkspaceStatus.statuses])
        yield* checkStatusEnum
      }))

    it.effect("a status added to core without a migration is reported as drift", () =>
      Effect.gen(function* () {
        const labels = yield* databaseStatuses
        const drift = statusEnumDrift([...WorkspaceStatus.statuses, "zombie"], labels)
        expect(drift?.missing).toEqual(["zombie"])
        expect(drift?.message).toContain("add a migration")
        expect(statusEnumDrift(WorkspaceStatus.statuses, labels)).toBeUndefined()
      }))

    it.effect("create stores the row, its secrets and the provisioning event; list joins the layout", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const secrets = yield* SecretRepository
        const { workspace, event: recorded } = yield* store.create(newWorkspace({ name: "alpha", secrets: { API_KEY: "s3cret" } }))
        expect(workspace).toMatchObject({ name: "alpha", status: "provisioning", runtime: "claude-code", x: 0, y: 0 })
        expect(workspace.awarenessNamespace).toBe(`workspace:${workspace.id}`)
        expect(recorded).toMatchObject({ type: "WORKSPACE_PROVISIONING", workspaceId: workspace.id })
        expect(recorded.seq).toBeGreaterThan(0)
        yield* store.setCanvasLayout(workspace.id, 12.5, -3)
        const listed = (yield* store.list).find((w) => w.id === workspace.id)
        expect(listed).toMatchObject({ x: 12.5, y: -3, collapsed: false })
        expect(yield* secrets.loadForProvision(workspace.id)).toMatchObject({ API_KEY: "s3cret" })
        const sql = yield* SqlClient.SqlClient
        const raw = yield* sql`SELECT row_to_json(s)::text AS row FROM workspace_secrets s WHERE workspace_id = ${workspace.id}`
        expect(JSON.stringify(raw)).not.toContain("s3cret")
      }))

    it.effect("a status write from a wrong state changes nothing and records nothing", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const statusWrites = yield* StatusWrites
        const id = yield* create()
        const before = yield* eventCount(id)
        const raced = yield* statusWrites.transition({ id, row: Transitions.heartbeatBack, input: { errorRate: 0, sampleError: null } })
        expect(Option.isNone(raced)).toBe(true)
        expect(yield* eventCount(id)).toBe(before)
        expect(Option.map(yield* store.get(id), (w) => w.status)).toEqual(Option.some("provisioning"))
        const done = yield* statusWrites.transition({
          id, row: Transitions.provisionFailed, input: { error: "boom" }, set: { lastSampleError: "boom" }
        })
        expect(Option.map(done, (e) => [e.type, e.payload])).toEqual(
          Option.some(["WORKSPACE_PROVISION_FAILED", { error: "boom", source: "provision" }]))
        expect(yield* eventCount(id)).toBe(before + 1)
        expect(Option.map(yield* store.get(id), (w) => [w.status, w.lastSampleError])).toEqual(Option.some(["failed", "boom"]))
      }))

    it.effect("removed is never left: no transition, register, heartbeat or card update revives it", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const statusWrites = yield* StatusWrites
        const registrations = yield* AgentRegistrations
        const id = yield* create()
        const removed = yield* store.markRemoved([{ id, event: event("WORKSPACE_REMOVED", { source: "delete" }) }])
        expect(removed.map((e) => e.workspaceId)).toEqual([id])
        const after = yield* eventCount(id)
        // Even a row that names `removed` among its `from` (no table row does) leaves it alone.
        for (const from of [Transitions.anyButRemoved, ["removed"] as const, WorkspaceStatus.statuses]) {
          expect(Option.isNone(yield* statusWrites.transition({ id, row: setUpRow("provisioning", from), input: undefined }))).toBe(true)
        }
        expect(Option.isNone(yield* statusWrites.transition({
          id, row: Transitions.userRestart, input: { name: "ws", tier: 3, runtime: "claude-code" }, set: { url: "" }
        }))).toBe(true)
        expect(Option.isNone(yield* registrations.register({ id, url: "http://x", agentCard: {}, deliveryMode: "push", event: event("WORKSPACE_ONLINE") }))).toBe(true)
        const beat = yield* registrations.heartbeat({ id, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 1, currentTask: null, monthlySpend: 0 })
        expect(Option.map(beat, (b) => [b.status, b.recorded])).toEqual(Option.some(["removed", false]))
        expect(Option.isNone(yield* registrations.updateCard(id, { a: 1 }, event("AGENT_CARD_UPDATED")))).toBe(true)
        // A second delete of the same row records nothing either.
        expect(yield* store.markRemoved([{ id, event: event("WORKSPACE_REMOVED") }])).toEqual([])
        expect(yield* eventCount(id)).toBe(after)
        expect(Option.map(yield* store.get(id), (w) => w.status)).toEqual(Option.some("removed"))
        expect((yield* store.list).some((w) => w.id === id)).toBe(false)
      }))

    it.effect("the age guard of a transition only fires past the deadline", () =>
      Effect.gen(function* () {
        const statusWrites = yield* StatusWrites
        const candidates = yield* SweepCandidates
        const id = yield* create()
        const fail = {
          id, row: Transitions.provisionTimedOut, input: { error: "timed out", timeoutSecs: 600, runtime: "claude-code" },
          olderThanSeconds: 600
        } as const
        expect(Option.isNone(yield* statusWrites.transition(fail))).toBe(true)
        yield* backdate(id, "updated_at", 700)
        const row = (yield* candidates.provisioningRows).find((r) => r.id === id)
        expect(row?.ageSeconds).toBeGreaterThan(699)
        expect(Option.isSome(yield* statusWrites.transition(fail))).toBe(true)
      }))

    it.effect("register inserts unknown ids online, keeps the stored url on an empty one, revives failed", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const registrations = yield* AgentRegistrations
        const id = (yield* Effect.sync(() => crypto.randomUUID())) as WorkspaceId.WorkspaceId
        const card = { name: "agent", nested_key: { keep_me: true } }
        const first = yield* registrations.register({ id, url: "http://agent.example:9000", agentCard: card, deliveryMode: "push", event: event("WORKSPACE_ONLINE", { source: "register" }) })
        expect(Option.isSome(first)).toBe(true)
        const inserted = Option.getOrThrow(yield* store.get(id))
        expect(inserted).toMatchObject({ name: id, status: "online", runtime: "claude-code", url: "http://agent.example:9000" })
        expect(inserted.agentCard).toEqual(card)
        expect(inserted.lastHeartbeatAt).not.toBeNull()
        yield* setStatus(id, "failed")
        yield* registrations.register({ id, url: "", agentCard: card, deliveryMode: "poll", event: event("WORKSPACE_ONLINE") })
        expect(Option.map(yield* store.get(id), (w) => [w.status, w.url, w.deliveryMode])).toEqual(
          Option.some(["online", "http://agent.example:9000", "poll"]))
      }))

    it.effect("heartbeat writes liveness in one statement and returns the previous status and task", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const registrations = yield* AgentRegistrations
        const inboundSecrets = yield* InboundSecrets
        const id = yield* create()
        yield* inboundSecrets.issueInboundSecret(id)
        const beat = (task: string | null, spend: number) =>
          registrations.heartbeat({ id, errorRate: 0.25, sampleError: "e", activeTasks: 2, uptimeSeconds: 60, currentTask: task, monthlySpend: spend })
        const first = Option.getOrThrow(yield* beat("task-1", 500))
        expect(first).toMatchObject({ status: "provisioning", previousTask: null, recorded: true })
        expect(first.platformInboundSecret).toHaveLength(43)
        const second = Option.getOrThrow(yield* beat("task-2", 0))
        expect(second.previousTask).toBe("task-1")
        const row = Option.getOrThrow(yield* store.get(id))
        expect(row).toMatchObject({ currentTask: "task-2", monthlySpend: 500, activeTasks: 2, lastErrorRate: 0.25, status: "provisioning" })
        const unknown = (yield* Effect.sync(() => crypto.randomUUID())) as WorkspaceId.WorkspaceId
        expect(Option.isNone(yield* registrations.heartbeat({ id: unknown, errorRate: 0, sampleError: null, activeTasks: 0, uptimeSeconds: 0, currentTask: null, monthlySpend: 0 }))).toBe(true)
      }))

    it.effect("inbound secret: absent is NoInboundSecret, issued is read back", () =>
      Effect.gen(function* () {
        const inboundSecrets = yield* InboundSecrets
        const id = yield* create()
        const absent = yield* Effect.either(inboundSecrets.readInboundSecret(id))
        expect(Either.isLeft(absent) && absent.left._tag).toBe("NoInboundSecret")
        const issued = yield* inboundSecrets.issueInboundSecret(id)
        expect(yield* inboundSecrets.readInboundSecret(id)).toBe(issued)
      }))

    it.effect("hierarchy: children, descendants (with and without removed), ancestors, purge", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const hierarchy = yield* WorkspaceHierarchy
        const candidates = yield* SweepCandidates
        const tokens = yield* TokenRepository
        const root = yield* create({ name: "root" })
        const child = yield* create({ name: "child", parentId: root })
        const grandchild = yield* create({ name: "grandchild", parentId: child })
        const gone = yield* create({ name: "gone", parentId: root })
        yield* store.markRemoved([{ id: gone, event: event("WORKSPACE_REMOVED") }])
        expect((yield* hierarchy.children(root)).map((r) => r.name)).toEqual(["child"])
        expect((yield* hierarchy.descendants(root, false)).map((r) => r.id).sort()).toEqual([child, grandchild].sort())
        expect((yield* hierarchy.descendants(root, true)).map((r) => r.id).sort()).toEqual([child, grandchild, gone].sort())
        expect((yield* hierarchy.ancestors(grandchild)).map((r) => r.id)).toEqual([child, root])
        yield* tokens.issue(child)
        yield* store.purge([child, grandchild])
        expect(Option.isNone(yield* store.get(child))).toBe(true)
        expect((yield* candidates.refs([root, child, grandchild])).map((r) => r.id)).toEqual([root])
        expect(yield* eventCount(child)).toBeGreaterThan(0)
      }))

    it.effect("100 concurrent transactions complete without error or lost update", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE IF NOT EXISTS test_counter (id int PRIMARY KEY, n int NOT NULL)`
        yield* sql`INSERT INTO test_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0`
        // Read, then write what was read plus one: interleaved transactions would lose increments.
        const increment = sql.withTransaction(Effect.gen(function* () {
          const rows = yield* sql<{ n: number }>`SELECT n FROM test_counter WHERE id = 1 FOR UPDATE`
          yield* sql`UPDATE test_counter SET n = ${(rows[0]?.n ?? 0) + 1} WHERE id = 1`
        }))
        yield* Effect.all(Array.from({ length: 100 }, () => increment), { concurrency: "unbounded" })
        const rows = yield* sql<{ n: number }>`SELECT n FROM test_counter WHERE id = 1`
        expect(rows[0]?.n).toBe(100)
      }))

    sweepSuite(it)
    heartbeatSuite(it)
    tokenSecretSuite(it)
    activitySuite(it)
    idempotencyPagesSuite(it)
  })
