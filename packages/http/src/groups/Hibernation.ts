/**
 * `POST /workspaces/:id/pause`, `/resume` and `/hibernate[?force=true]` (§2.4), WorkspaceAuth: upstream's routes and
 * bodies. None reads a body.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { BusyBody, ConflictBody, InternalBody, NotFoundBody, ServiceUnavailableBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export const PauseAnswer = Schema.Struct({ status: Schema.Literal("paused"), paused_count: Schema.Number })
export const ResumeAnswer = Schema.Struct({ status: Schema.Literal("provisioning"), resumed_count: Schema.Number })
export const HibernateAnswer = Schema.Struct({ status: Schema.Literal("hibernated") })

export class HibernationGroup extends HttpApiGroup.make("hibernation")
  .add(
    HttpApiEndpoint.post("pause")`/workspaces/${workspaceIdParam}/pause`
      .addSuccess(PauseAnswer)
      .addError(NotFoundBody)
      .addError(UnavailableBody)
  )
  .add(
    HttpApiEndpoint.post("resume")`/workspaces/${workspaceIdParam}/resume`
      .addSuccess(ResumeAnswer)
      .addError(NotFoundBody)
      .addError(ConflictBody)
      .addError(ServiceUnavailableBody)
      .addError(UnavailableBody)
  )
  .add(
    HttpApiEndpoint.post("hibernate")`/workspaces/${workspaceIdParam}/hibernate`
      .setUrlParams(Schema.Struct({ force: Schema.optional(Schema.String) }))
      .addSuccess(HibernateAnswer)
      .addError(NotFoundBody)
      .addError(BusyBody)
      .addError(InternalBody)
      .addError(ServiceUnavailableBody)
      .addError(UnavailableBody)
  )
  .middleware(WorkspaceAuth)
{}
