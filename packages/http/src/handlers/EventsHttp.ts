/** Handlers of `GET /events` and `GET /events/:workspaceId` (§5.12): the reads are core's `EventHistory`. */
import { HttpApiBuilder } from "@effect/platform"
import type { StoredEvent } from "@berth/core"
import { EventHistory } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { rfc3339 } from "../wire/Errors.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

export const toWire = (e: StoredEvent) => ({
  id: e.id,
  event_type: e.type,
  workspace_id: e.workspaceId,
  payload: e.payload,
  created_at: rfc3339(e.createdAt)
})

export const EventsLive = HttpApiBuilder.group(Api, "events", (handlers) =>
  Effect.gen(function* () {
    const history = yield* EventHistory
    return handlers
      .handle("latest", () => history.latest().pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors))
      .handle("latestOf", ({ path }) =>
        history.latest(path.workspaceId).pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors))
  })).pipe(Layer.provide(AdminAuth.layer))
