/** Handlers of workspace activity (§5.10); filters and allowed types are core's `ActivityFilter`. */
import { HttpApiBuilder } from "@effect/platform"
import type { Activity, ActivityStatus } from "@berth/core"
import { ActivityFilter, ActivityRepository, EventBus, ListPages } from "@berth/core"
import { Clock, Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { BadRequest, Forbidden, Gone, datastoreUnavailable, rfc3339 } from "../wire/Errors.js"
import * as Paging from "./Paging.js"

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const statuses: ReadonlyArray<ActivityStatus> = ["ok", "error", "timeout"]
const isStatus = (s: string): s is ActivityStatus => (statuses as ReadonlyArray<string>).includes(s)

/** One list element: JSON columns only when non-null. */
export const toWire = (a: Activity) => ({
  id: a.id,
  workspace_id: a.workspaceId,
  activity_type: a.activityType,
  source_id: a.sourceId,
  target_id: a.targetId,
  method: a.method,
  summary: a.summary,
  duration_ms: a.durationMs,
  status: a.status,
  error_detail: a.errorDetail,
  created_at: rfc3339(a.createdAt),
  ...(a.requestBody === null || a.requestBody === undefined ? {} : { request_body: a.requestBody }),
  ...(a.responseBody === null || a.responseBody === undefined ? {} : { response_body: a.responseBody }),
  ...(a.toolTrace === null || a.toolTrace === undefined ? {} : { tool_trace: a.toolTrace })
})

const badRequest = (e: { readonly message: string }) => new BadRequest({ error: e.message })
const nonEmpty = (s: string | null | undefined): s is string => s !== null && s !== undefined && s !== ""

export const ActivityLive = HttpApiBuilder.group(Api, "activity", (handlers) =>
  Effect.gen(function* () {
    const activities = yield* ActivityRepository
    const pages = yield* ListPages
    const bus = yield* EventBus
    const cursorGone = () => Effect.fail(new Gone({
      error: "since_id cursor not found (row may have been pruned or belongs to a different workspace); omit since_id to reset"
    }))
    return handlers
      .handle("list", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const filter = yield* ActivityFilter.parse(urlParams).pipe(Effect.mapError(badRequest))
          const page = Paging.requested(urlParams.cursor)
          if (page === undefined) {
            const rows = yield* activities.list(path.id, filter).pipe(Effect.catchTags({
              DatastoreUnavailable: () => Effect.fail(datastoreUnavailable),
              ActivityCursorNotFound: cursorGone
            }))
            return rows.map(toWire)
          }
          const found = yield* pages.activity(path.id, filter, page.after).pipe(Effect.catchTags({
            DatastoreUnavailable: () => Effect.fail(datastoreUnavailable),
            ActivityCursorNotFound: cursorGone,
            InvalidInput: (e) => Effect.fail(Paging.badCursor(e))
          }))
          yield* Paging.announceNext(found.nextCursor)
          return found.items.map(toWire)
        }))
      .handle("log", ({ path, payload }) =>
        Effect.gen(function* () {
          const activityType = yield* ActivityFilter.parseActivityType(payload.activity_type).pipe(Effect.mapError(badRequest))
          if (nonEmpty(payload.source_id) && payload.source_id.toLowerCase() !== path.id) {
            return yield* Effect.fail(new Forbidden({ error: "source_id must match authenticated workspace" }))
          }
          if (nonEmpty(payload.target_id) && !UUID.test(payload.target_id)) {
            return yield* Effect.fail(new BadRequest({ error: "target_id must be a UUID" }))
          }
          const status = nonEmpty(payload.status) ? payload.status : "ok"
          if (!isStatus(status)) {
            return yield* Effect.fail(new BadRequest({ error: `status must be one of: ${statuses.join(", ")}` }))
          }
          const stored = yield* activities.insert({
            workspaceId: path.id,
            activityType,
            sourceId: path.id,
            targetId: nonEmpty(payload.target_id) ? payload.target_id.toLowerCase() : null,
            method: payload.method ?? null,
            summary: payload.summary ?? null,
            // `metadata` is the older clients' name for the request body
            requestBody: payload.request_body ?? payload.metadata ?? null,
            responseBody: payload.response_body ?? null,
            toolTrace: payload.tool_trace ?? null,
            durationMs: payload.duration_ms ?? null,
            status,
            errorDetail: payload.error_detail ?? null
          }).pipe(Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable)))
          yield* bus.publish({
            type: "ACTIVITY_LOGGED",
            workspaceId: path.id,
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
          return { status: "logged" as const }
        }))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
