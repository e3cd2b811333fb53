/**
 * Workspace row shapes and the statements every workspace port's SQL shares: the select list with the canvas layout
 * joined, row references, and the "record an event for each changed row" tail of a status write with its decoding.
 */
import type { SqlClient, Statement } from "@effect/sql"
import type { EventRecord, Workspace, WorkspaceRef } from "@berth/core"
import { deliveryModes, WorkspaceStatus, workspaceAccessModes } from "@berth/core"
import { Array as Arr, Effect, Option, Schema } from "effect"
import { EventRows, toStoredEvent, toStoredEvents } from "./EventRows.js"
import { Id, Int, pgArray, Status, Timestamp } from "./Rows.js"

/** The statuses the health sweep Docker pass looks at (§7.1): its `Transitions.containerGone` candidates. */
export const live = pgArray(["online", "degraded"] satisfies ReadonlyArray<WorkspaceStatus.WorkspaceStatus>)

export const WorkspaceRow = Schema.Struct({
  id: Id,
  name: Schema.String,
  role: Schema.NullOr(Schema.String),
  tier: Int,
  status: Status,
  runtime: Schema.String,
  url: Schema.NullOr(Schema.String),
  agentCard: Schema.Unknown,
  parentId: Schema.NullOr(Id),
  awarenessNamespace: Schema.NullOr(Schema.String),
  workspaceDir: Schema.NullOr(Schema.String),
  workspaceAccess: Schema.Literal(...workspaceAccessModes),
  deliveryMode: Schema.Literal(...deliveryModes),
  budgetLimit: Schema.NullOr(Int),
  monthlySpend: Int,
  maxConcurrentTasks: Int,
  activeTasks: Int,
  uptimeSeconds: Int,
  lastErrorRate: Schema.Number,
  lastSampleError: Schema.NullOr(Schema.String),
  currentTask: Schema.NullOr(Schema.String),
  lastHeartbeatAt: Schema.NullOr(Timestamp),
  lastOutboundAt: Schema.NullOr(Timestamp),
  instanceId: Schema.NullOr(Schema.String),
  idleSince: Schema.NullOr(Timestamp),
  hibernationIdleMinutes: Schema.NullOr(Int),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  x: Schema.Number,
  y: Schema.Number,
  collapsed: Schema.Boolean
})

// Compile-time check that the decoded row is exactly core's `Workspace` (agent_card null comes back as null).
const _sameShape: (row: typeof WorkspaceRow.Type) => Workspace = (row) => row
void _sameShape

export const WorkspaceRefRow = Schema.Struct({
  id: Id,
  name: Schema.String,
  status: Status,
  runtime: Schema.String,
  parentId: Schema.NullOr(Id),
  instanceId: Schema.NullOr(Schema.String)
})
const _sameRef: (row: typeof WorkspaceRefRow.Type) => WorkspaceRef = (row) => row
void _sameRef

/** `w.…` columns of a full workspace with its layout; use with `FROM workspaces w LEFT JOIN canvas_layouts c …`. */
export const selectWorkspace = (sql: SqlClient.SqlClient) => sql`
  SELECT w.id, w.name, w.role, w.tier, w.status, w.runtime, w.url, w.agent_card, w.parent_id, w.awareness_namespace,
    w.workspace_dir, w.workspace_access, w.delivery_mode, w.budget_limit, w.monthly_spend, w.max_concurrent_tasks,
    w.active_tasks, w.uptime_seconds, w.last_error_rate, w.last_sample_error, w.current_task, w.last_heartbeat_at,
    w.last_outbound_at, w.instance_id, w.idle_since, w.hibernation_idle_minutes, w.created_at, w.updated_at,
    COALESCE(c.x, 0)::float8 AS x, COALESCE(c.y, 0)::float8 AS y, COALESCE(c.collapsed, false) AS collapsed
  FROM workspaces w LEFT JOIN canvas_layouts c ON c.workspace_id = w.id`

/** Columns of a `WorkspaceRef`. */
export const refColumns = "id, name, status, runtime, parent_id, instance_id"

const Refs = Schema.Array(WorkspaceRefRow)

/** The `WorkspaceRef`s a statement selecting `refColumns` returns. */
export const refRows = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
  Effect.flatMap(statement, Schema.decodeUnknown(Refs))

/**
 * `WITH changed AS (<update … RETURNING id>) INSERT INTO structure_events …`: records `event` once per changed row in
 * the same statement, so a raced write (0 rows) records nothing.
 */
export const recordForChanged = (
  sql: SqlClient.SqlClient,
  update: Statement.Fragment,
  event: EventRecord
) => sql`
  WITH changed AS (${update})
  INSERT INTO structure_events (event_type, workspace_id, payload)
  SELECT ${event.type}, changed.id, ${JSON.stringify(event.payload)}::jsonb FROM changed
  RETURNING id, seq, event_type, workspace_id, payload, created_at`

/** The first recorded event of a statement's rows (None when the guarded write changed nothing). */
export const firstEvent = (rows: typeof EventRows.Type) =>
  Option.flatMap(Arr.head(rows), (row) => Option.fromNullable(toStoredEvent(row)))

/** The one event a `recordForChanged` statement recorded, or None. */
export const recorded = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
  Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(EventRows)), firstEvent)

/** Every event a set-based status write recorded, one per changed row. */
export const recordedEvents = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
  Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(EventRows)), toStoredEvents)
