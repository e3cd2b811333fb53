/**
 * `StatusWrites` over `SqlClient`: every status change of an existing row. Each binds the status as a parameter,
 * excludes `removed`, and records its events in the same statement (a data-modifying CTE), so a raced write changes
 * nothing and records nothing; each sweep is one indexed statement over every qualifying row, one event per row.
 */
import { SqlClient } from "@effect/sql"
import type { Transition } from "@berth/core"
import { Runtime, StatusWrites, WorkspaceStatus } from "@berth/core"
import { Effect, Layer } from "effect"
import { datastore, pgArray } from "./Rows.js"
import { live, recorded, recordedEvents, recordForChanged } from "./WorkspaceRows.js"

type S = WorkspaceStatus.WorkspaceStatus
const removed = WorkspaceStatus.terminal
const offline: S = "offline"
const awaitingAgent: S = "awaiting_agent"

export const make: Effect.Effect<StatusWrites["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const transition = (t: Transition) => {
    const from = t.from === "anyButRemoved" ? null : pgArray(t.from)
    const set = t.set ?? {}
    const sets = [
      sql`status = ${t.to}::workspace_status`,
      sql`updated_at = now()`,
      ...("url" in set && set.url !== undefined ? [sql`url = ${set.url}`] : []),
      ...("lastSampleError" in set && set.lastSampleError !== undefined ? [sql`last_sample_error = ${set.lastSampleError}`] : []),
      ...("instanceId" in set && set.instanceId !== undefined ? [sql`instance_id = ${set.instanceId}`] : [])
    ]
    const olderThan = t.olderThanSeconds ?? null
    return recorded(recordForChanged(sql, sql`
      UPDATE workspaces SET ${sql.csv(sets)}
      WHERE id = ${t.id} AND status <> ${removed}::workspace_status
        AND (${from}::workspace_status[] IS NULL OR status = ANY(${from}::workspace_status[]))
        AND (${olderThan}::float8 IS NULL OR updated_at < now() - make_interval(secs => ${olderThan}::float8))
      RETURNING id`, t.event)).pipe(datastore)
  }

  return StatusWrites.of({
    transition,
    markStaleExternalAwaiting: (staleAfterSeconds) =>
      recordedEvents(sql`
        WITH changed AS (
          UPDATE workspaces SET status = ${awaitingAgent}::workspace_status, updated_at = now()
          WHERE status = ANY(${live}::workspace_status[]) AND runtime = ${Runtime.EXTERNAL}
            AND COALESCE(last_heartbeat_at, updated_at) < now() - make_interval(secs => ${staleAfterSeconds}::float8)
          RETURNING id, name
        )
        INSERT INTO structure_events (event_type, workspace_id, payload)
        SELECT ${"WORKSPACE_AWAITING_AGENT"}, id,
          jsonb_build_object('name', name, 'external', true, 'source', ${"health_sweep"}::text)
        FROM changed
        RETURNING id, seq, event_type, workspace_id, payload, created_at`).pipe(datastore),
    markLivenessOffline: (staleAfterSeconds) =>
      recordedEvents(sql`
        WITH changed AS (
          UPDATE workspaces SET status = ${offline}::workspace_status, updated_at = now()
          WHERE status = ANY(${live}::workspace_status[]) AND runtime <> ${Runtime.EXTERNAL}
            AND last_heartbeat_at < now() - make_interval(secs => ${staleAfterSeconds}::float8)
          RETURNING id
        )
        INSERT INTO structure_events (event_type, workspace_id, payload)
        SELECT ${"WORKSPACE_OFFLINE"}, id, jsonb_build_object('source', ${"liveness"}::text) FROM changed
        RETURNING id, seq, event_type, workspace_id, payload, created_at`).pipe(datastore)
  })
})

export const layer = Layer.effect(StatusWrites, make)
