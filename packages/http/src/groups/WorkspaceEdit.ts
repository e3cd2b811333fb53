/**
 * `PATCH /workspaces/:id` (§5.4.1): edit the fields upstream lets a client change; WorkspaceAuth. Fields the body
 * does not name stay; unknown fields are ignored; a wrong type anywhere is `400 {"error":"invalid request body"}`.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { GoneBody, NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"
import { bodyMessage } from "../wire/Payloads.js"

export const UpdatePayload = Schema.Struct({
  name: Schema.optional(Schema.String),
  role: Schema.optional(Schema.NullOr(Schema.String)),
  tier: Schema.optional(Schema.Int),
  /** null (or "") makes the workspace a root. */
  parent_id: Schema.optional(Schema.NullOr(Schema.String)),
  runtime: Schema.optional(Schema.String),
  /** null (or "") clears it. */
  workspace_dir: Schema.optional(Schema.NullOr(Schema.String)),
  /** The canvas position: written only when both come. */
  x: Schema.optional(Schema.Number),
  y: Schema.optional(Schema.Number),
  collapsed: Schema.optional(Schema.Boolean),
  /** Minutes without reported work before the idle sweep hibernates it (§2.4); null: the server's default. */
  hibernation_idle_minutes: Schema.optional(Schema.NullOr(Schema.Int))
}).annotations(bodyMessage("invalid request body"))

export const Updated = Schema.Struct({
  status: Schema.Literal("updated"),
  /** Only when `workspace_dir` was in the body: the new mount applies on the next restart. */
  needs_restart: Schema.optional(Schema.Literal(true))
})

export class WorkspaceEditGroup extends HttpApiGroup.make("workspaceEdit")
  .add(
    HttpApiEndpoint.patch("update")`/workspaces/${workspaceIdParam}`
      .setPayload(UpdatePayload)
      .addSuccess(Updated)
      .addError(NotFoundBody)
      .addError(GoneBody)
  )
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
