/**
 * Workspace activity (§5.10): the filtered list (whole, or one keyset page), and a report an agent files about
 * itself, recorded and then announced as `ACTIVITY_LOGGED`. Filters and allowed types are `ActivityFilter`'s.
 */
import { Clock, Effect } from "effect"
import * as ActivityFilter from "../domain/ActivityFilter.js"
import { ActivitySourceMismatch, InvalidInput } from "../domain/Errors.js"
import { ActivityRepository, activityStatuses } from "../ports/ActivityRepository.js"
import type { ActivityStatus, NewActivity } from "../ports/ActivityRepository.js"
import { EventBus } from "../ports/EventBus.js"
import { ListPages } from "../ports/ListPages.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { isUuid } from "../domain/Uuid.js"

const isStatus = (s: string): s is ActivityStatus => (activityStatuses as ReadonlyArray<string>).includes(s)
const nonEmpty = (s: string | null | undefined): s is string => s !== null && s !== undefined && s !== ""

/** What an agent reports (§5.10 POST); absent and empty text fields are the same. JSON fields take any value. */
export interface ActivityReport {
  readonly activityType: string
  readonly sourceId?: string | null | undefined
  readonly targetId?: string | null | undefined
  readonly status?: string | null | undefined
  readonly method?: string | null | undefined
  readonly summary?: string | null | undefined
  readonly errorDetail?: string | null | undefined
  readonly durationMs?: number | null | undefined
  readonly requestBody?: unknown
  readonly responseBody?: unknown
  readonly toolTrace?: unknown
}

/** The raw list query (§5.10), as `ActivityFilter.parse` reads it. */
export type ActivityQuery = Readonly<Record<string, string | undefined>>

export class Activities extends Effect.Service<Activities>()("@berth/core/Activities", {
  effect: Effect.gen(function* () {
    const activities = yield* ActivityRepository
    const pages = yield* ListPages
    const bus = yield* EventBus

    /** The whole filtered list; a bad parameter fails `InvalidInput`, an unknown `since_id` `ActivityCursorNotFound`. */
    const list = Effect.fn("Activities.list")(function* (id: WorkspaceId, query: ActivityQuery) {
      const filter = yield* ActivityFilter.parse(query)
      return yield* activities.list(id, filter)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** One page after `cursor` (null: the first); a cursor this server did not hand out fails `InvalidInput`. */
    const page = Effect.fn("Activities.page")(function* (id: WorkspaceId, query: ActivityQuery, cursor: string | null) {
      const filter = yield* ActivityFilter.parse(query)
      return yield* pages.activity(id, filter, cursor)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** Stores one row (checked by the caller) and publishes `ACTIVITY_LOGGED`; the A2A proxy records its own rows here. */
    const record = Effect.fn("Activities.record")(function* (row: NewActivity) {
      const stored = yield* activities.insert(row)
      yield* bus.publish({
        type: "ACTIVITY_LOGGED",
        workspaceId: row.workspaceId,
        payload: {
          activity_type: stored.activityType,
          method: stored.method,
          summary: stored.summary,
          status: stored.status,
          source_id: stored.sourceId,
          target_id: stored.targetId,
          duration_ms: stored.durationMs,
          ...(stored.toolTrace === null || stored.toolTrace === undefined ? {} : { tool_trace: stored.toolTrace })
        },
        createdAt: new Date(yield* Clock.currentTimeMillis)
      })
      return stored
    })

    /** Records a report filed under workspace `id` (its own source) and publishes `ACTIVITY_LOGGED`. */
    const report = Effect.fn("Activities.report")(function* (id: WorkspaceId, input: ActivityReport) {
      const activityType = yield* ActivityFilter.parseActivityType(input.activityType)
      if (nonEmpty(input.sourceId) && input.sourceId.toLowerCase() !== id) {
        return yield* Effect.fail(new ActivitySourceMismatch({ sourceId: input.sourceId }))
      }
      if (nonEmpty(input.targetId) && !isUuid(input.targetId)) {
        return yield* Effect.fail(new InvalidInput({ message: "target_id must be a UUID" }))
      }
      const status = nonEmpty(input.status) ? input.status : "ok"
      if (!isStatus(status)) {
        return yield* Effect.fail(new InvalidInput({ message: `status must be one of: ${activityStatuses.join(", ")}` }))
      }
      return yield* record({
        workspaceId: id,
        activityType,
        sourceId: id,
        targetId: nonEmpty(input.targetId) ? input.targetId.toLowerCase() : null,
        method: input.method ?? null,
        summary: input.summary ?? null,
        requestBody: input.requestBody ?? null,
        responseBody: input.responseBody ?? null,
        toolTrace: input.toolTrace ?? null,
        durationMs: input.durationMs ?? null,
        status,
        errorDetail: input.errorDetail ?? null
      })
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    return { list, page, report, record } as const
  })
}) {}
