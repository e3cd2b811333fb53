/**
 * `ActivityRepository` over `SqlClient`: the §5.10 filters become bound conditions combined with AND. The `since_id`
 * cursor is compared in SQL (`created_at > (SELECT created_at …)`) so microseconds are not lost through a JS Date.
 * The conditions are shared with the keyset pages of `ListPagesSql`.
 */
import { SqlClient } from "@effect/sql"
import type { ActivityFilter, WorkspaceId } from "@berth/core"
import { ActivityRepository, Errors } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore, Id, Int, jsonParam, Timestamp } from "./Rows.js"

export const ActivityRow = Schema.Struct({
  id: Schema.String,
  workspaceId: Id,
  activityType: Schema.String,
  sourceId: Schema.NullOr(Schema.String),
  targetId: Schema.NullOr(Schema.String),
  method: Schema.NullOr(Schema.String),
  summary: Schema.NullOr(Schema.String),
  requestBody: Schema.Unknown,
  responseBody: Schema.Unknown,
  toolTrace: Schema.Unknown,
  durationMs: Schema.NullOr(Int),
  status: Schema.String,
  errorDetail: Schema.NullOr(Schema.String),
  createdAt: Timestamp
})
const ActivityRows = Schema.Array(ActivityRow)
const CountRows = Schema.Array(Schema.Struct({ n: Int }))

/** Every column of an activity row. */
export const activityColumns = `id, workspace_id, activity_type, source_id, target_id, method, summary, request_body,
  response_body, tool_trace, duration_ms, status, error_detail, created_at`

/**
 * The §5.10 filters as bound conditions (AND-ed by the caller) and the list order, shared by the plain list and its
 * keyset pages. An unknown `since_id` cursor fails with `ActivityCursorNotFound` before any row is read.
 */
export const activityQuery = (
  sql: SqlClient.SqlClient,
  workspaceId: WorkspaceId.WorkspaceId,
  filter: ActivityFilter.ActivityFilter
) =>
  Effect.gen(function* () {
    if (filter.sinceId !== undefined) {
      const found = yield* sql`
        SELECT id FROM activity_logs WHERE id = ${filter.sinceId}::uuid AND workspace_id = ${workspaceId}`
      if (found.length === 0) return yield* Effect.fail(new Errors.ActivityCursorNotFound({ sinceId: filter.sinceId }))
    }
    const conditions = [
      sql`workspace_id = ${workspaceId}`,
      ...(filter.type === undefined ? [] : [sql`activity_type = ${filter.type}`]),
      ...(filter.source === "canvas" ? [sql`source_id IS NULL`] : []),
      ...(filter.source === "agent" ? [sql`source_id IS NOT NULL`] : []),
      // One bound value used for both columns (§5.10).
      ...(filter.peerId === undefined ? [] : [sql`${filter.peerId}::uuid IN (source_id, target_id)`]),
      ...(filter.beforeTs === undefined ? [] : [sql`created_at < ${filter.beforeTs.toISOString()}::timestamptz`]),
      ...(filter.sinceSecs === undefined
        ? []
        : [sql`created_at >= now() - make_interval(secs => ${filter.sinceSecs}::float8)`]),
      ...(filter.sinceId === undefined
        ? []
        : [sql`created_at > (SELECT created_at FROM activity_logs WHERE id = ${filter.sinceId}::uuid)`])
    ]
    return { conditions, ascending: filter.sinceId !== undefined }
  })

export const make: Effect.Effect<ActivityRepository["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const list = (workspaceId: WorkspaceId.WorkspaceId, filter: ActivityFilter.ActivityFilter) =>
    Effect.gen(function* () {
      const { conditions, ascending } = yield* activityQuery(sql, workspaceId, filter)
      const order = sql.literal(ascending ? "ASC" : "DESC")
      const rows = yield* sql`
        SELECT ${sql.literal(activityColumns)} FROM activity_logs WHERE ${sql.and(conditions)}
        ORDER BY created_at ${order}, id ${order} LIMIT ${filter.limit}`
      return yield* Schema.decodeUnknown(ActivityRows)(rows)
    }).pipe(datastore)

  return ActivityRepository.of({
    insert: (a) =>
      sql`
        INSERT INTO activity_logs (workspace_id, activity_type, source_id, target_id, method, summary, request_body,
          response_body, tool_trace, duration_ms, status, error_detail)
        VALUES (${a.workspaceId}, ${a.activityType}, ${a.sourceId}::uuid, ${a.targetId}::uuid, ${a.method}, ${a.summary},
          ${jsonParam(a.requestBody)}::jsonb, ${jsonParam(a.responseBody)}::jsonb, ${jsonParam(a.toolTrace)}::jsonb,
          ${a.durationMs === null ? null : Math.trunc(a.durationMs)}, ${a.status}, ${a.errorDetail})
        RETURNING ${sql.literal(activityColumns)}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(ActivityRows)),
        Effect.flatMap((rows) => rows[0] === undefined ? Effect.die(new Error("INSERT returned no row")) : Effect.succeed(rows[0])),
        datastore
      ),
    list,
    deleteOlderThan: (days) =>
      sql`
        WITH d AS (DELETE FROM activity_logs WHERE created_at < now() - make_interval(days => ${Math.trunc(days)}::int) RETURNING 1)
        SELECT count(*)::int AS n FROM d`.pipe(
        Effect.flatMap(Schema.decodeUnknown(CountRows)),
        Effect.map((rows) => rows[0]?.n ?? 0),
        datastore
      )
  })
})

export const layer = Layer.effect(ActivityRepository, make)
