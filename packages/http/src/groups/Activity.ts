/** Workspace activity (§5.10): `GET`/`POST /workspaces/:id/activity`, behind WorkspaceAuth. */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { ForbiddenBody, GoneBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

/**
 * Raw query values: the rules and messages are core's `ActivityFilter.parse`. `cursor` (a Berth addition) asks for
 * keyset pages of `limit` rows, the next cursor in the `X-Next-Cursor` response header (see `handlers/Paging.ts`).
 */
export const ActivityQuery = Schema.Struct({
  cursor: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  source: Schema.optional(Schema.String),
  peer_id: Schema.optional(Schema.String),
  before_ts: Schema.optional(Schema.String),
  since_secs: Schema.optional(Schema.String),
  since_id: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.String)
})

const Json = Schema.Unknown

export const ActivityElement = Schema.Struct({
  id: Schema.String,
  workspace_id: Schema.String,
  activity_type: Schema.String,
  source_id: Schema.NullOr(Schema.String),
  target_id: Schema.NullOr(Schema.String),
  method: Schema.NullOr(Schema.String),
  summary: Schema.NullOr(Schema.String),
  duration_ms: Schema.NullOr(Schema.Number),
  status: Schema.String,
  error_detail: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  /** Present only when non-null (§5.10). */
  request_body: Schema.optional(Json),
  response_body: Schema.optional(Json),
  tool_trace: Schema.optional(Json)
})

const optionalText = Schema.optional(Schema.NullOr(Schema.String))

export const NewActivityPayload = Schema.Struct({
  // Required string: like upstream's binding, an absent or non-string type is an undecodable body (§5.10).
  activity_type: Schema.String,
  method: optionalText,
  summary: optionalText,
  target_id: optionalText,
  source_id: optionalText,
  status: optionalText,
  error_detail: optionalText,
  duration_ms: Schema.optional(Schema.NullOr(Schema.Number)),
  request_body: Schema.optional(Json),
  response_body: Schema.optional(Json),
  metadata: Schema.optional(Json),
  tool_trace: Schema.optional(Json)
}).annotations({ message: () => ({ message: "invalid request body", override: true }) })

export class ActivityGroup extends HttpApiGroup.make("activity")
  .add(
    HttpApiEndpoint.get("list")`/workspaces/${workspaceIdParam}/activity`
      .setUrlParams(ActivityQuery)
      .addSuccess(Schema.Array(ActivityElement))
      .addError(GoneBody)
  )
  .add(
    HttpApiEndpoint.post("log")`/workspaces/${workspaceIdParam}/activity`
      .setPayload(NewActivityPayload)
      .addSuccess(Schema.Struct({ status: Schema.Literal("logged") }))
      .addError(ForbiddenBody)
  )
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
