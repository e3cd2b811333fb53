/**
 * Admin routes about one workspace (§5.12): the bootstrap watcher's failure report (AdminAuth) and the test-token
 * route, which has its own rule (checked by its handler, so it has no route middleware).
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { WorkspaceId } from "@berth/core"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { NotFoundBody, UnauthorizedBody, UnavailableBody } from "../wire/Errors.js"

const idParam = HttpApiSchema.param("id", WorkspaceId.WorkspaceId)

export const BootstrapFailedPayload = Schema.Struct({
  error: Schema.optional(Schema.NullOr(Schema.String)),
  log_tail: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ message: () => ({ message: "invalid request body", override: true }) })

export const BootstrapFailedOk = Schema.Struct({
  ok: Schema.Literal(true),
  no_change: Schema.optional(Schema.Literal(true))
})

export const TestToken = Schema.Struct({ auth_token: Schema.String, workspace_id: Schema.String })

export class AdminWorkspacesGroup extends HttpApiGroup.make("adminWorkspaces")
  .add(
    HttpApiEndpoint.post("bootstrapFailed")`/admin/workspaces/${idParam}/bootstrap-failed`
      .setPayload(BootstrapFailedPayload)
      .addSuccess(BootstrapFailedOk)
  )
  .addError(UnavailableBody)
  .middleware(AdminAuth)
{}

export class TestTokenGroup extends HttpApiGroup.make("testToken")
  .add(
    // The id is checked by the handler: the route's own rule (§5.12) comes before id validation.
    HttpApiEndpoint.get("testToken")`/admin/workspaces/${HttpApiSchema.param("id", Schema.String)}/test-token`
      .addSuccess(TestToken)
      .addError(NotFoundBody)
      .addError(UnauthorizedBody)
      .addError(UnavailableBody)
  )
{}
