/** `GET /workspaces/:id/console` (§5.12): the CP machine's console output; AdminAuth; CP mode only. */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { BadGatewayBody, NotFoundBody, NotImplementedBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export class ConsoleGroup extends HttpApiGroup.make("console")
  .add(
    HttpApiEndpoint.get("console")`/workspaces/${workspaceIdParam}/console`
      .addSuccess(Schema.Struct({ output: Schema.String }))
      .addError(NotFoundBody)
      .addError(NotImplementedBody)
      .addError(BadGatewayBody)
      .addError(UnavailableBody)
  )
  .middleware(AdminAuth)
{}
