import type { Effect } from "effect"
import { Context } from "effect"
import type { ActivityFilter, ActivityType } from "../domain/ActivityFilter.js"
import type { ActivityCursorNotFound, DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** `activity_logs.status` values (§3.4); the migration's CHECK list is built from this. */
export const activityStatuses = ["ok", "error", "timeout"] as const
export type ActivityStatus = (typeof activityStatuses)[number]

/** An activity row to insert (§5.10 POST). JSON columns take any JSON value or null. */
export interface NewActivity {
  readonly workspaceId: WorkspaceId
  readonly activityType: ActivityType
  readonly sourceId: string | null
  readonly targetId: string | null
  readonly method: string | null
  readonly summary: string | null
  readonly requestBody: unknown
  readonly responseBody: unknown
  readonly toolTrace: unknown
  readonly durationMs: number | null
  readonly status: ActivityStatus
  readonly errorDetail: string | null
}

/** A stored activity row. `activityType` is a string: rows written by older builds may hold other values. */
export interface Activity extends Omit<NewActivity, "activityType" | "status"> {
  readonly id: string
  readonly activityType: string
  readonly status: string
  readonly createdAt: Date
}

/** `activity_logs` (§3.4, §5.10, §7.6). */
export class ActivityRepository extends Context.Tag("@berth/core/ActivityRepository")<ActivityRepository, {
  /** Inserts one row and returns it. */
  readonly insert: (activity: NewActivity) => Effect.Effect<Activity, DatastoreUnavailable>
  /** The filtered list of §5.10 (ascending with `sinceId`, else descending); an unknown cursor → `ActivityCursorNotFound`. */
  readonly list: (workspaceId: WorkspaceId, filter: ActivityFilter) => Effect.Effect<ReadonlyArray<Activity>, DatastoreUnavailable | ActivityCursorNotFound>
  /** Retention (§7.6): deletes rows older than `days`, returns how many. */
  readonly deleteOlderThan: (days: number) => Effect.Effect<number, DatastoreUnavailable>
}>() {}
