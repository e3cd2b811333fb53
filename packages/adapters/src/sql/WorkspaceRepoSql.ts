/**
 * `WorkspaceRepository` over `SqlClient` (both databases). Every status write binds the status as a parameter, always
 * excludes `removed`, and records its event in the same statement (a data-modifying CTE), so a raced write changes
 * nothing and records nothing. Sweeps and hierarchy walks live in `WorkspaceQueriesSql`, the batched heartbeat in
 * `HeartbeatSql`.
 */
import { SqlClient } from "@effect/sql"
import type { NewWorkspace, WorkspaceId } from "@berth/core"
import { Errors, Transitions, WorkspaceRepository, WorkspaceStatus } from "@berth/core"
import { randomBytes, randomUUID } from "node:crypto"
import type { Scope } from "effect"
import { Array as Arr, Effect, Layer, Option, Schema } from "effect"
import { EventRows, toStoredEvent } from "./EventRows.js"
import * as HeartbeatSql from "./HeartbeatSql.js"
import { datastore, jsonParam, pgArray } from "./Rows.js"
import { SecretCipher } from "./SecretCipher.js"
import { makeQueries } from "./WorkspaceQueriesSql.js"
import { recordForChanged, selectWorkspace, WorkspaceRow } from "./WorkspaceRows.js"

const removed = WorkspaceStatus.terminal
const Workspaces = Schema.Array(WorkspaceRow)

const SecretRows = Schema.Array(Schema.Struct({ platformInboundSecret: Schema.NullOr(Schema.String) }))

/** The first recorded event of a statement's rows (None when the guarded write changed nothing). */
const firstEvent = (rows: typeof EventRows.Type) =>
  Option.flatMap(Arr.head(rows), (row) => Option.fromNullable(toStoredEvent(row)))

export const make: Effect.Effect<
  WorkspaceRepository["Type"],
  never,
  SqlClient.SqlClient | SecretCipher | Scope.Scope
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* SecretCipher
  const queries = makeQueries(sql)
  const heartbeat = yield* HeartbeatSql.make(sql)

  const getRow = (id: WorkspaceId.WorkspaceId) =>
    sql`${selectWorkspace(sql)} WHERE w.id = ${id}`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Workspaces)),
      Effect.map(Arr.head)
    )

  const recorded = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(EventRows)), firstEvent)

  const create = (input: NewWorkspace) =>
    Effect.gen(function* () {
      const id = randomUUID() as WorkspaceId.WorkspaceId
      const event = yield* sql.withTransaction(Effect.gen(function* () {
        yield* sql`
          INSERT INTO workspaces (id, name, role, tier, status, runtime, parent_id, awareness_namespace, workspace_dir,
            workspace_access, delivery_mode, budget_limit, max_concurrent_tasks)
          VALUES (${id}, ${input.name}, ${input.role}, ${input.tier}, ${Transitions.created.to}::workspace_status,
            ${input.runtime}, ${input.parentId}, ${`workspace:${id}`}, ${input.workspaceDir}, ${input.workspaceAccess},
            ${input.deliveryMode}, ${input.budgetLimit}, ${input.maxConcurrentTasks})`
        for (const [key, value] of Object.entries(input.secrets)) {
          const bytes = yield* Effect.mapError(cipher.encrypt(value), () =>
            new Errors.SecretWriteFailed({ key, operation: "encrypt" }))
          yield* Effect.mapError(
            sql`
              INSERT INTO workspace_secrets (workspace_id, key, encrypted_value, encryption_version)
              VALUES (${id}, ${key}, decode(${Buffer.from(bytes).toString("base64")}, 'base64'), ${cipher.version})`,
            () => new Errors.SecretWriteFailed({ key, operation: "save" })
          )
        }
        const rows = yield* sql`
          INSERT INTO structure_events (event_type, workspace_id, payload)
          VALUES (${input.event.type}, ${id}, ${JSON.stringify(input.event.payload)}::jsonb)
          RETURNING id, seq, event_type, workspace_id, payload, created_at`
        return yield* Effect.map(Schema.decodeUnknown(EventRows)(rows), firstEvent)
      }))
      const workspace = yield* getRow(id)
      if (Option.isNone(workspace) || Option.isNone(event)) {
        return yield* Effect.die(new Error(`workspace ${id} vanished right after its creation`))
      }
      return { workspace: workspace.value, event: event.value }
    }).pipe(datastore)

  const transition = <Input>(change: Transitions.StatusChange<Input>) => {
    const set = change.set ?? {}
    const sets = [
      sql`status = ${change.row.to}::workspace_status`,
      sql`updated_at = now()`,
      ...(set.url !== undefined ? [sql`url = ${set.url}`] : []),
      ...(set.lastSampleError !== undefined ? [sql`last_sample_error = ${set.lastSampleError}`] : []),
      ...(set.instanceId !== undefined ? [sql`instance_id = ${set.instanceId}`] : [])
    ]
    const olderThan = change.olderThanSeconds ?? null
    const event = Transitions.eventFor(change.row, change.input)
    return recorded(recordForChanged(sql, sql`
      UPDATE workspaces SET ${sql.csv(sets)}
      WHERE id = ${change.id} AND status <> ${removed}::workspace_status
        AND status = ANY(${pgArray(change.row.from)}::workspace_status[])
        AND (${olderThan}::float8 IS NULL OR updated_at < now() - make_interval(secs => ${olderThan}::float8))
      RETURNING id`, event)).pipe(datastore)
  }

  return WorkspaceRepository.of({
    create,
    setCanvasLayout: (id, x, y) =>
      sql`
        INSERT INTO canvas_layouts (workspace_id, x, y) VALUES (${id}, ${x}, ${y})
        ON CONFLICT (workspace_id) DO UPDATE SET x = EXCLUDED.x, y = EXCLUDED.y`.pipe(Effect.asVoid, datastore),
    get: (id) => datastore(getRow(id)),
    list: sql`${selectWorkspace(sql)} WHERE w.status <> ${removed}::workspace_status ORDER BY w.created_at, w.id`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Workspaces)),
      datastore
    ),
    transition,
    register: (r) =>
      recorded(recordForChanged(sql, sql`
        INSERT INTO workspaces AS w (id, name, status, url, agent_card, delivery_mode, last_heartbeat_at, awareness_namespace)
        VALUES (${r.id}, ${r.id}, ${Transitions.registered.to}::workspace_status,
          NULLIF(${r.url ?? ""}, ''), ${jsonParam(r.agentCard)}::jsonb, ${r.deliveryMode}, now(), ${`workspace:${r.id}`})
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, agent_card = EXCLUDED.agent_card,
          delivery_mode = EXCLUDED.delivery_mode, last_heartbeat_at = now(), updated_at = now(),
          url = COALESCE(EXCLUDED.url, w.url)
        WHERE w.status <> ${removed}::workspace_status
          AND w.status = ANY(${pgArray(Transitions.registered.from)}::workspace_status[])
        RETURNING w.id`, r.event)).pipe(datastore),
    heartbeat,
    updateCard: (id, agentCard, event) =>
      recorded(recordForChanged(sql, sql`
        UPDATE workspaces SET agent_card = ${jsonParam(agentCard)}::jsonb
        WHERE id = ${id} AND status <> ${removed}::workspace_status RETURNING id`, event)).pipe(datastore),
    setUrl: (id, url) =>
      sql`UPDATE workspaces SET url = ${url} WHERE id = ${id} AND status <> ${removed}::workspace_status RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        datastore
      ),
    setInstanceId: (id, instanceId) =>
      sql`UPDATE workspaces SET instance_id = ${instanceId} WHERE id = ${id}`.pipe(Effect.asVoid, datastore),
    ...queries,
    readInboundSecret: (id) =>
      sql`SELECT platform_inbound_secret FROM workspaces WHERE id = ${id}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(SecretRows)),
        datastore,
        Effect.flatMap((rows) => {
          const secret = rows[0]?.platformInboundSecret ?? ""
          return secret === "" ? Effect.fail(new Errors.NoInboundSecret({ workspaceId: id })) : Effect.succeed(secret)
        })
      ),
    issueInboundSecret: (id) => {
      const secret = randomBytes(32).toString("base64url")
      return sql`UPDATE workspaces SET platform_inbound_secret = ${secret} WHERE id = ${id} RETURNING id`.pipe(
        datastore,
        Effect.flatMap((rows) =>
          rows.length === 0 ? Effect.fail(new Errors.NoInboundSecret({ workspaceId: id })) : Effect.succeed(secret))
      )
    }
  })
})

/**
 * Requires `SqlClient` and `SecretCipher` (create stores encrypted secrets in its transaction); scoped, because the
 * heartbeat batcher's worker lives as long as the layer.
 */
export const layer = Layer.scoped(WorkspaceRepository, make)
