/** Handlers of workspace activity (§5.10): the use cases are core's `Activities`. */
import { HttpApiBuilder } from "@effect/platform"
import type { Activity } from "@berth/core"
import { Activities } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { rfc3339 } from "../wire/Errors.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import * as Paging from "./Paging.js"

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

export const ActivityLive = HttpApiBuilder.group(Api, "activity", (handlers) =>
  Effect.gen(function* () {
    const activities = yield* Activities
    return handlers
      .handle("list", ({ path, urlParams }) => {
        const page = Paging.requested(urlParams.cursor)
        if (page === undefined) {
          return activities.list(path.id, urlParams).pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors)
        }
        return activities.page(path.id, urlParams, page.after).pipe(
          Effect.tap((found) => Paging.announceNext(found.nextCursor)),
          Effect.map((found) => found.items.map(toWire)),
          mapCoreErrors
        )
      })
      .handle("log", ({ path, payload }) =>
        activities.report(path.id, {
          activityType: payload.activity_type,
          sourceId: payload.source_id,
          targetId: payload.target_id,
          status: payload.status,
          method: payload.method,
          summary: payload.summary,
          errorDetail: payload.error_detail,
          durationMs: payload.duration_ms,
          // `metadata` is the older clients' name for the request body
          requestBody: payload.request_body ?? payload.metadata ?? null,
          responseBody: payload.response_body,
          toolTrace: payload.tool_trace
        }).pipe(Effect.as({ status: "logged" as const }), mapCoreErrors))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
