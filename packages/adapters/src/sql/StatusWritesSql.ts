/**
 * `StatusWrites` over `SqlClient`: every status change of an existing row, compiled from a row of core's
 * `Transitions` (which statuses it leaves, what it becomes, what it records). Each binds the statuses as parameters,
 * excludes `removed`, and records its events in the same statement (a data-modifying CTE), so a raced write changes
 * nothing and records nothing; each sweep is one indexed statement over every qualifying row, one event per row.
 */
import { SqlClient } from "@effect/sql"
import { Runtime, StatusWrites, Transitions, WorkspaceStatus } from "@berth/core"
import { Effect, Layer } from "effect"
import { datastore, pgArray } from "./Rows.js"
import { recorded, recordedEvents, recordForChanged } from "./WorkspaceRows.js"

const removed = WorkspaceStatus.terminal
/** The column behind each payload column a sweep row may copy. */
const payloadColumns: Record<Transitions.PayloadColumn, string> = { name: "name", tier: "tier" }

export const make: Effect.Effect<StatusWrites["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const transition = <Input>(change: Transitions.StatusChange<Input>) => {
    const set = change.set ?? {}
    const sets = [
      sql`status = ${change.row.to}::workspace_status`,
      sql`updated_at = now()`,
      ...(set.url !== undefined ? [sql`url = ${set.url}`] : []),
      ...(set.lastSampleError !== undefined ? [sql`last_sample_error = ${set.lastSampleError}`] : []),
      ...(set.instanceId !== undefined ? [sql`instance_id = ${set.instanceId}`] : []),
      ...(set.idleSince !== undefined ? [sql`idle_since = ${set.idleSince}`] : [])
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

  const transitionWhere: StatusWrites["Type"]["transitionWhere"] = (change) => {
    const { rule, staleAfterSeconds } = change
    // External rows are exempt from container sweeps and only they are scoped in by the remote pass (§2.2, §7.1).
    const runtimes = rule.runtimes === "external" ? sql`runtime = ${Runtime.EXTERNAL}` : sql`runtime <> ${Runtime.EXTERNAL}`
    const now = sql`COALESCE(${change.asOf?.toISOString() ?? null}::timestamptz, now())`
    // A row never beaten is stale by `updated_at` for the remote pass, and never by liveness (§7.1, §7.2); an idle
    // row by its own threshold when it has one, and never while it reports work (§2.4).
    const stale = rule.clock === "idleSince"
      ? sql`active_tasks = 0 AND idle_since <= ${now} - make_interval(secs => COALESCE(hibernation_idle_minutes * 60.0, ${staleAfterSeconds}::float8))`
      : sql`${rule.clock === "lastHeartbeat" ? sql`last_heartbeat_at` : sql`COALESCE(last_heartbeat_at, updated_at)`} < ${now} - make_interval(secs => ${staleAfterSeconds}::float8)`
    const columns = rule.payload.columns.map((c) => payloadColumns[c])
    const copied = sql.csv(columns.map((c) => sql`${c}::text, ${sql(c)}`))
    return recordedEvents(sql`
      WITH changed AS (
        UPDATE workspaces SET status = ${rule.to}::workspace_status, updated_at = now()
        WHERE status = ANY(${pgArray(rule.from)}::workspace_status[]) AND status <> ${removed}::workspace_status
          AND ${runtimes} AND ${stale}
        RETURNING ${sql.csv(["id", ...columns].map((c) => sql`${sql(c)}`))}
      )
      INSERT INTO structure_events (event_type, workspace_id, payload)
      SELECT ${rule.event}, id,
        ${JSON.stringify({ ...rule.payload.constants, source: rule.source })}::jsonb || jsonb_build_object(${copied})
      FROM changed
      RETURNING id, seq, event_type, workspace_id, payload, created_at`).pipe(datastore)
  }

  return StatusWrites.of({ transition, transitionWhere })
})

export const layer = Layer.effect(StatusWrites, make)
