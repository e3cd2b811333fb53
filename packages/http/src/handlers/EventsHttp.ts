/** Handlers of `GET /events` and `GET /events/:workspaceId` (§5.12). */
import { HttpApiBuilder } from "@effect/platform"
import type { StoredEvent } from "@berth/core"
import { EventLog } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { orUnavailable, rfc3339 } from "../wire/Errors.js"

const LATEST = 100

export const toWire = (e: StoredEvent) => ({
  id: e.id,
  event_type: e.type,
  workspace_id: e.workspaceId,
  payload: e.payload,
  created_at: rfc3339(e.createdAt)
})

export const EventsLive = HttpApiBuilder.group(Api, "events", (handlers) =>
  Effect.gen(function* () {
    const log = yield* EventLog
    return handlers
      .handle("latest", () => log.latest(LATEST).pipe(Effect.map((rows) => rows.map(toWire)), orUnavailable))
      .handle("latestOf", ({ path }) =>
        log.latest(LATEST, path.workspaceId).pipe(Effect.map((rows) => rows.map(toWire)), orUnavailable))
  })).pipe(Layer.provide(AdminAuth.layer))
