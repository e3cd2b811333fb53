/** `GET /workspaces/:id/state` (§5.12): the light status probe agents poll; WorkspaceAuth. */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { WorkspaceStatus } from "@berth/core"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export const StateBody = Schema.Struct({
  workspace_id: Schema.String,
  status: WorkspaceStatus.WorkspaceStatus,
  paused: Schema.Boolean,
  deleted: Schema.Literal(false)
})

export class WorkspaceStateGroup extends HttpApiGroup.make("workspaceState")
  .add(
    HttpApiEndpoint.get("state")`/workspaces/${workspaceIdParam}/state`
      .addSuccess(StateBody)
      .addError(NotFoundBody)
      .addError(UnavailableBody)
  )
  .middleware(WorkspaceAuth)
{}
