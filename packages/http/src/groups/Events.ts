/** Recorded events (§5.12): the latest 100, newest first, all or of one workspace; AdminAuth. */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { WorkspaceId } from "@berth/core"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { UnavailableBody } from "../wire/Errors.js"

export const StoredEventBody = Schema.Struct({
  id: Schema.String,
  event_type: Schema.String,
  workspace_id: Schema.NullOr(Schema.String),
  payload: Schema.Unknown,
  created_at: Schema.String
})

const workspaceIdParam = HttpApiSchema.param("workspaceId", WorkspaceId.WorkspaceId)

export class EventsGroup extends HttpApiGroup.make("events")
  .add(HttpApiEndpoint.get("latest", "/events").addSuccess(Schema.Array(StoredEventBody)))
  .add(HttpApiEndpoint.get("latestOf")`/events/${workspaceIdParam}`.addSuccess(Schema.Array(StoredEventBody)))
  .addError(UnavailableBody)
  .middleware(AdminAuth)
{}
