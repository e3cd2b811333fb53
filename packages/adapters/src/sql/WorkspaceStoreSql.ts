/**
 * `WorkspaceStore` over `SqlClient` (both databases): workspace rows with their secrets and layouts, the columns a
 * provisioner records, delete and purge. Create and delete record their events in the same transaction.
 */
import { SqlClient } from "@effect/sql"
import type { EventRecord, NewWorkspace, WorkspaceChanges, WorkspaceId } from "@berth/core"
import { Errors, Transitions, WorkspaceStatus, WorkspaceStore } from "@berth/core"
import { randomUUID } from "node:crypto"
import { Array as Arr, Effect, Layer, Option, Schema } from "effect"
import { EventRows } from "./EventRows.js"
import { datastore, Int, pgArray, Status } from "./Rows.js"
import { SecretCipher } from "./SecretCipher.js"
import { firstEvent, recorded, recordedEvents, selectWorkspace, WorkspaceRow } from "./WorkspaceRows.js"

const removed = WorkspaceStatus.terminal
const Workspaces = Schema.Array(WorkspaceRow)
const Counts = Schema.Array(Schema.Struct({ status: Status, count: Int }))

export const make: Effect.Effect<WorkspaceStore["Type"], never, SqlClient.SqlClient | SecretCipher> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* SecretCipher
  const ids = (list: ReadonlyArray<WorkspaceId.WorkspaceId>) => pgArray(list)

  const getRow = (id: WorkspaceId.WorkspaceId) =>
    sql`${selectWorkspace(sql)} WHERE w.id = ${id}`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Workspaces)),
      Effect.map(Arr.head)
    )

  const create = (input: NewWorkspace) =>
    Effect.gen(function* () {
      const id = randomUUID() as WorkspaceId.WorkspaceId
      const event = yield* sql.withTransaction(Effect.gen(function* () {
        yield* sql`
          INSERT INTO workspaces (id, name, role, tier, status, runtime, parent_id, awareness_namespace, workspace_dir,
            workspace_access, delivery_mode, budget_limit, max_concurrent_tasks, hibernation_idle_minutes)
          VALUES (${id}, ${input.name}, ${input.role}, ${input.tier}, ${Transitions.created.to}::workspace_status,
            ${input.runtime}, ${input.parentId}, ${`workspace:${id}`}, ${input.workspaceDir}, ${input.workspaceAccess},
            ${input.deliveryMode}, ${input.budgetLimit}, ${input.maxConcurrentTasks},
            ${input.hibernationIdleMinutes ?? null}::int)`
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

  /** Each column is set only when its field is present (a bound flag), so one statement serves every edit. */
  const update = (id: WorkspaceId.WorkspaceId, c: WorkspaceChanges, event?: EventRecord) =>
    sql.withTransaction(Effect.gen(function* () {
      const has = (v: unknown) => v !== undefined
      if ([c.name, c.role, c.tier, c.parentId, c.runtime, c.workspaceDir, c.hibernationIdleMinutes].some(has)) {
        yield* sql`
          UPDATE workspaces SET
            name = CASE WHEN ${has(c.name)} THEN ${c.name ?? ""} ELSE name END,
            role = CASE WHEN ${has(c.role)} THEN ${c.role ?? null}::text ELSE role END,
            tier = CASE WHEN ${has(c.tier)} THEN ${c.tier ?? 0}::int ELSE tier END,
            parent_id = CASE WHEN ${has(c.parentId)} THEN ${c.parentId ?? null}::uuid ELSE parent_id END,
            runtime = CASE WHEN ${has(c.runtime)} THEN ${c.runtime ?? ""} ELSE runtime END,
            workspace_dir = CASE WHEN ${has(c.workspaceDir)} THEN ${c.workspaceDir ?? null}::text ELSE workspace_dir END,
            hibernation_idle_minutes = CASE WHEN ${has(c.hibernationIdleMinutes)} THEN ${c.hibernationIdleMinutes ?? null}::int
              ELSE hibernation_idle_minutes END,
            updated_at = now()
          WHERE id = ${id}`
      }
      if (has(c.position) || has(c.collapsed)) {
        yield* sql`
          INSERT INTO canvas_layouts (workspace_id, x, y, collapsed)
          VALUES (${id}, ${c.position?.x ?? 0}, ${c.position?.y ?? 0}, ${c.collapsed ?? false})
          ON CONFLICT (workspace_id) DO UPDATE SET
            x = CASE WHEN ${has(c.position)} THEN EXCLUDED.x ELSE canvas_layouts.x END,
            y = CASE WHEN ${has(c.position)} THEN EXCLUDED.y ELSE canvas_layouts.y END,
            collapsed = CASE WHEN ${has(c.collapsed)} THEN EXCLUDED.collapsed ELSE canvas_layouts.collapsed END`
      }
      if (event === undefined) return Option.none()
      return yield* recorded(sql`
        INSERT INTO structure_events (event_type, workspace_id, payload)
        VALUES (${event.type}, ${id}, ${JSON.stringify(event.payload)}::jsonb)
        RETURNING id, seq, event_type, workspace_id, payload, created_at`)
    })).pipe(datastore)

  return WorkspaceStore.of({
    create,
    update,
    setCanvasLayout: (id, x, y) =>
      sql`
        INSERT INTO canvas_layouts (workspace_id, x, y) VALUES (${id}, ${x}, ${y})
        ON CONFLICT (workspace_id) DO UPDATE SET x = EXCLUDED.x, y = EXCLUDED.y`.pipe(Effect.asVoid, datastore),
    get: (id) => datastore(getRow(id)),
    list: sql`${selectWorkspace(sql)} WHERE w.status <> ${removed}::workspace_status ORDER BY w.created_at, w.id`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Workspaces)),
      datastore
    ),
    setUrl: (id, url) =>
      sql`UPDATE workspaces SET url = ${url} WHERE id = ${id} AND status <> ${removed}::workspace_status RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        datastore
      ),
    recordOutbound: (id) => sql`UPDATE workspaces SET last_outbound_at = now() WHERE id = ${id}`.pipe(Effect.asVoid, datastore),
    setInstanceId: (id, instanceId) =>
      sql`UPDATE workspaces SET instance_id = ${instanceId} WHERE id = ${id}`.pipe(Effect.asVoid, datastore),
    markRemoved: (entries) => {
      const list = ids(entries.map((e) => e.id))
      const byId: ReadonlyArray<{ readonly id: WorkspaceId.WorkspaceId; readonly eventType: string; readonly payload: EventRecord["payload"] }> =
        entries.map((e) => ({ id: e.id, eventType: e.event.type, payload: e.event.payload }))
      return sql.withTransaction(Effect.gen(function* () {
        yield* sql`UPDATE workspace_auth_tokens SET revoked_at = now()
          WHERE workspace_id = ANY(${list}::uuid[]) AND revoked_at IS NULL`
        yield* sql`DELETE FROM canvas_layouts WHERE workspace_id = ANY(${list}::uuid[])`
        return yield* recordedEvents(sql`
          WITH entries AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(byId)}::jsonb) AS e(id uuid, "eventType" text, payload jsonb)
          ), changed AS (
            UPDATE workspaces w SET status = ${Transitions.deleted.to}::workspace_status, updated_at = now()
            FROM entries e WHERE w.id = e.id AND w.status <> ${removed}::workspace_status
              AND w.status = ANY(${pgArray(Transitions.deleted.from)}::workspace_status[])
            RETURNING w.id, e."eventType" AS event_type, e.payload
          )
          INSERT INTO structure_events (event_type, workspace_id, payload)
          SELECT event_type, id, payload FROM changed
          RETURNING id, seq, event_type, workspace_id, payload, created_at`)
      })).pipe(datastore)
    },
    purge: (list) => {
      const arr = ids(list)
      return sql.withTransaction(Effect.gen(function* () {
        yield* sql`UPDATE workspaces SET parent_id = NULL WHERE parent_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM activity_logs WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM workspace_secrets WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM workspace_auth_tokens WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM workspace_config WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM canvas_layouts WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM cp_leak_suspects WHERE workspace_id = ANY(${arr}::uuid[])`
        yield* sql`DELETE FROM workspaces WHERE id = ANY(${arr}::uuid[])`
      })).pipe(datastore)
    },
    countByStatus: sql`SELECT status, count(*)::int AS count FROM workspaces GROUP BY status ORDER BY status`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Counts)),
      datastore
    )
  })
})

/** Requires `SqlClient` and `SecretCipher` (create stores encrypted secrets in its transaction). */
export const layer = Layer.effect(WorkspaceStore, make)
