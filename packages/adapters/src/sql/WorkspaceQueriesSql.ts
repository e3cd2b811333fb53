/**
 * The set-based parts of `WorkspaceRepository`: hierarchy walks, delete/purge, and the sweep statements of §7. Each
 * sweep is one indexed statement, compiled from a sweep row of core's `Transitions` (which statuses, runtimes and
 * clock qualify, what they become and record), that changes every qualifying row and records one event per row.
 */
import type { SqlClient } from "@effect/sql"
import type { EventRecord, WorkspaceId, WorkspaceRepository } from "@berth/core"
import { Runtime, Transitions, WorkspaceStatus } from "@berth/core"
import { Effect, Schema } from "effect"
import { EventRows, toStoredEvents } from "./EventRows.js"
import { datastore, Id, Int, pgArray, Status } from "./Rows.js"
import { refColumns, WorkspaceRefRow } from "./WorkspaceRows.js"

type S = WorkspaceStatus.WorkspaceStatus
const removed = WorkspaceStatus.terminal
const provisioning: S = "provisioning"
/** The statuses the health sweep Docker pass looks at (§7.1), those of its `Transitions.containerGone` candidates. */
const live = pgArray(["online", "degraded"] satisfies ReadonlyArray<S>)
/** The column behind each payload column a sweep row may copy. */
const payloadColumns: Record<Transitions.PayloadColumn, string> = { name: "name" }

const Refs = Schema.Array(WorkspaceRefRow)
const ProvisioningRows = Schema.Array(Schema.Struct({
  id: Id,
  name: Schema.String,
  runtime: Schema.String,
  ageSeconds: Schema.Number
}))
const Counts = Schema.Array(Schema.Struct({ status: Status, count: Int }))

type Queries = Pick<
  WorkspaceRepository["Type"],
  | "children" | "descendants" | "ancestors" | "markRemoved" | "purge" | "refs" | "refsByIdPrefix" | "removedWithInstance"
  | "onlineContainerWorkspaces" | "provisioningRows" | "transitionWhere"
  | "countByStatus"
>

/** The 12 leading characters of a UUID's text form, as legacy container names carry them (`ws-<8 hex>-<3 hex>`). */
const legacyPrefix = /^[0-9a-f]{8}-[0-9a-f]{3}$/

/**
 * The ids starting with `prefix` as an inclusive uuid range, so the lookup walks the primary key (uuids order as
 * their hex text does); undefined for a prefix no id can start with.
 */
const prefixRange = (prefix: string): { readonly lo: string; readonly hi: string } | undefined =>
  legacyPrefix.test(prefix) ? { lo: `${prefix}0-0000-0000-000000000000`, hi: `${prefix}f-ffff-ffff-ffffffffffff` } : undefined

export const makeQueries = (sql: SqlClient.SqlClient): Queries => {
  const refs = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.flatMap(statement, Schema.decodeUnknown(Refs))
  const events = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(EventRows)), toStoredEvents)
  const ids = (list: ReadonlyArray<WorkspaceId.WorkspaceId>) => pgArray(list)

  return {
    children: (id) =>
      refs(sql`
        SELECT ${sql.literal(refColumns)} FROM workspaces
        WHERE parent_id = ${id} AND status <> ${removed}::workspace_status ORDER BY created_at, id`).pipe(datastore),
    descendants: (id, includeRemoved) =>
      refs(sql`
        WITH RECURSIVE d AS (
          SELECT ${sql.literal(refColumns)}, 1 AS depth FROM workspaces
          WHERE parent_id = ${id} AND (${includeRemoved}::boolean OR status <> ${removed}::workspace_status)
          UNION ALL
          SELECT w.id, w.name, w.status, w.runtime, w.parent_id, w.instance_id, d.depth + 1
          FROM workspaces w JOIN d ON w.parent_id = d.id
          WHERE d.depth < 64 AND (${includeRemoved}::boolean OR w.status <> ${removed}::workspace_status)
        )
        SELECT DISTINCT ON (id) ${sql.literal(refColumns)} FROM d ORDER BY id`).pipe(datastore),
    ancestors: (id) =>
      refs(sql`
        WITH RECURSIVE a AS (
          SELECT p.id, p.name, p.status, p.runtime, p.parent_id, p.instance_id, 1 AS hop
          FROM workspaces c JOIN workspaces p ON p.id = c.parent_id WHERE c.id = ${id}
          UNION ALL
          SELECT p.id, p.name, p.status, p.runtime, p.parent_id, p.instance_id, a.hop + 1
          FROM a JOIN workspaces p ON p.id = a.parent_id WHERE a.hop < 32
        )
        SELECT ${sql.literal(refColumns)} FROM a ORDER BY hop`).pipe(datastore),
    markRemoved: (entries) => {
      const list = ids(entries.map((e) => e.id))
      const byId: ReadonlyArray<{ readonly id: WorkspaceId.WorkspaceId; readonly eventType: string; readonly payload: EventRecord["payload"] }> =
        entries.map((e) => ({ id: e.id, eventType: e.event.type, payload: e.event.payload }))
      return sql.withTransaction(Effect.gen(function* () {
        yield* sql`UPDATE workspace_auth_tokens SET revoked_at = now()
          WHERE workspace_id = ANY(${list}::uuid[]) AND revoked_at IS NULL`
        yield* sql`DELETE FROM canvas_layouts WHERE workspace_id = ANY(${list}::uuid[])`
        return yield* events(sql`
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
    refs: (list) =>
      refs(sql`SELECT ${sql.literal(refColumns)} FROM workspaces WHERE id = ANY(${ids(list)}::uuid[])`).pipe(datastore),
    refsByIdPrefix: (prefixes) => {
      // Distinct prefixes give disjoint ranges: no row is returned twice.
      const ranges = [...new Set(prefixes.map((p) => p.toLowerCase()))].flatMap((p) => prefixRange(p) ?? [])
      if (ranges.length === 0) return Effect.succeed([])
      return refs(sql`
        SELECT ${sql.literal(refColumns)}
        FROM unnest(${pgArray(ranges.map((r) => r.lo))}::uuid[], ${pgArray(ranges.map((r) => r.hi))}::uuid[]) AS p(lo, hi)
        JOIN workspaces ON id BETWEEN p.lo AND p.hi ORDER BY id`).pipe(datastore)
    },
    removedWithInstance: refs(sql`
      SELECT ${sql.literal(refColumns)} FROM workspaces
      WHERE status = ${removed}::workspace_status AND instance_id IS NOT NULL`).pipe(datastore),
    onlineContainerWorkspaces: refs(sql`
      SELECT ${sql.literal(refColumns)} FROM workspaces
      WHERE status = ANY(${live}::workspace_status[]) AND runtime <> ${Runtime.EXTERNAL}`).pipe(datastore),
    provisioningRows: sql`
      SELECT id, name, runtime, EXTRACT(EPOCH FROM now() - updated_at)::float8 AS age_seconds FROM workspaces
      WHERE status = ${provisioning}::workspace_status ORDER BY updated_at`.pipe(
      Effect.flatMap(Schema.decodeUnknown(ProvisioningRows)),
      datastore
    ),
    transitionWhere: ({ rule, staleAfterSeconds }) => {
      // External rows are exempt from container sweeps and only they are scoped in by the remote pass (§2.2, §7.1).
      const runtimes = rule.runtimes === "external" ? sql`runtime = ${Runtime.EXTERNAL}` : sql`runtime <> ${Runtime.EXTERNAL}`
      // A row never beaten is stale by `updated_at` for the remote pass, and never by liveness (§7.1, §7.2).
      const clock = rule.clock === "lastHeartbeat" ? sql`last_heartbeat_at` : sql`COALESCE(last_heartbeat_at, updated_at)`
      const columns = rule.payload.columns.map((c) => payloadColumns[c])
      const copied = sql.csv(columns.map((c) => sql`${c}::text, ${sql(c)}`))
      return events(sql`
        WITH changed AS (
          UPDATE workspaces SET status = ${rule.to}::workspace_status, updated_at = now()
          WHERE status = ANY(${pgArray(rule.from)}::workspace_status[]) AND status <> ${removed}::workspace_status
            AND ${runtimes} AND ${clock} < now() - make_interval(secs => ${staleAfterSeconds}::float8)
          RETURNING ${sql.csv(["id", ...columns].map((c) => sql`${sql(c)}`))}
        )
        INSERT INTO structure_events (event_type, workspace_id, payload)
        SELECT ${rule.event}, id,
          ${JSON.stringify({ ...rule.payload.constants, source: rule.source })}::jsonb || jsonb_build_object(${copied})
        FROM changed
        RETURNING id, seq, event_type, workspace_id, payload, created_at`).pipe(datastore)
    },
    countByStatus: sql`SELECT status, count(*)::int AS count FROM workspaces GROUP BY status ORDER BY status`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Counts)),
      datastore
    )
  }
}
