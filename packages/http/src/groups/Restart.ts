/**
 * `POST /workspaces/:id/restart` (§5.6), WorkspaceAuth. The body is optional (an empty one is allowed), so the
 * handler reads it itself; its fields are declared here for the OpenAPI document and the typed client.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { ConflictBody, GoneBody, NotFoundBody, ServiceUnavailableBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

const flag = Schema.optional(Schema.NullOr(Schema.Boolean))

/** Rule 4; any wrong type is `400 {"error":"invalid request body"}`. */
export const RestartPayload = Schema.Struct({
  template: Schema.optional(Schema.NullOr(Schema.String)),
  apply_template: flag,
  /** Remove the claude-sessions volume first (also `?reset=true`). */
  reset: flag,
  rebuild_config: flag
}).annotations({ message: () => ({ message: "invalid request body", override: true }) })

export const RestartAnswer = Schema.Union(
  Schema.Struct({
    status: Schema.Literal("provisioning"),
    /** The template id, or `existing-volume`. */
    config_dir: Schema.String,
    reset_session: Schema.Boolean
  }),
  Schema.Struct({ status: Schema.Literal("noop"), runtime: Schema.Literal("external"), message: Schema.String })
)

export class RestartGroup extends HttpApiGroup.make("restart")
  .add(
    HttpApiEndpoint.post("restart")`/workspaces/${workspaceIdParam}/restart`
      .setPayload(RestartPayload)
      .setUrlParams(Schema.Struct({ reset: Schema.optional(Schema.String) }))
      .addSuccess(RestartAnswer)
      .addError(NotFoundBody)
      .addError(GoneBody)
      .addError(ConflictBody)
      .addError(ServiceUnavailableBody)
      .addError(UnavailableBody)
  )
  .middleware(WorkspaceAuth)
{}
