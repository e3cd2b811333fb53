/** The two small tables: `cp_leak_suspects` (`LeakSuspects`) and `workspace_config` (`WorkspaceConfigStore`). */
import { SqlClient } from "@effect/sql"
import { LeakSuspects, WorkspaceConfigStore } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { datastore, Id, Timestamp } from "./Rows.js"

const LeakRows = Schema.Array(Schema.Struct({
  id: Schema.String,
  workspaceId: Id,
  instanceId: Schema.NullOr(Schema.String),
  source: Schema.String,
  lastError: Schema.String,
  createdAt: Timestamp
}))
const ConfigRows = Schema.Array(Schema.Struct({ data: Schema.Record({ key: Schema.String, value: Schema.Unknown }) }))

export const makeLeakSuspects: Effect.Effect<LeakSuspects["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return LeakSuspects.of({
    record: (s) =>
      sql`
        INSERT INTO cp_leak_suspects (workspace_id, instance_id, source, last_error)
        VALUES (${s.workspaceId}, ${s.instanceId}, ${s.source}, ${s.lastError})`.pipe(Effect.asVoid, datastore),
    listOpen: sql`
      SELECT id, workspace_id, instance_id, source, last_error, created_at FROM cp_leak_suspects
      WHERE resolved_at IS NULL ORDER BY created_at, id`.pipe(Effect.flatMap(Schema.decodeUnknown(LeakRows)), datastore),
    resolve: (id) =>
      sql`UPDATE cp_leak_suspects SET resolved_at = now() WHERE id = ${id}::uuid AND resolved_at IS NULL`.pipe(
        Effect.asVoid,
        datastore
      )
  })
})

export const makeWorkspaceConfig: Effect.Effect<WorkspaceConfigStore["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return WorkspaceConfigStore.of({
    put: (id, data) =>
      sql`
        INSERT INTO workspace_config (workspace_id, data) VALUES (${id}, ${JSON.stringify(data)}::jsonb)
        ON CONFLICT (workspace_id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`.pipe(Effect.asVoid, datastore),
    get: (id) =>
      sql`SELECT data FROM workspace_config WHERE workspace_id = ${id}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(ConfigRows)),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => r.data)),
        datastore
      )
  })
})

export const leakSuspectsLayer = Layer.effect(LeakSuspects, makeLeakSuspects)
export const workspaceConfigLayer = Layer.effect(WorkspaceConfigStore, makeWorkspaceConfig)
