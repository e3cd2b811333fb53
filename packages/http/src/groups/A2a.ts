/**
 * `POST /workspaces/:id/a2a` (§5.13), the A2A JSON-RPC proxy. Outside WorkspaceAuth, as upstream: the canvas sends no
 * token, and an agent caller names itself in `X-Workspace-ID` and is judged by its own token and the hierarchy rule.
 * The body is forwarded, not decoded, so the handler reads it; its shape is declared here for the OpenAPI document.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import {
  BadGatewayBody, ConflictBody, ForbiddenBody, GoneBody, NotFoundBody, ServiceUnavailableBody, UnauthorizedBody, UnavailableBody
} from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

/** A JSON-RPC 2.0 request, or `{method, params}` that the proxy wraps in one. */
export const A2aMessage = Schema.Struct({
  jsonrpc: Schema.optional(Schema.Literal("2.0")),
  id: Schema.optional(Schema.Unknown),
  method: Schema.String.pipe(Schema.minLength(1)),
  params: Schema.optional(Schema.NullOr(Schema.Union(Schema.Record({ key: Schema.String, value: Schema.Unknown }), Schema.Array(Schema.Unknown))))
})

export class A2aGroup extends HttpApiGroup.make("a2a")
  .add(
    HttpApiEndpoint.post("proxy")`/workspaces/${workspaceIdParam}/a2a`
      .setPayload(A2aMessage)
      .setHeaders(Schema.Struct({
        "x-workspace-id": Schema.optional(Schema.String),
        "x-timeout": Schema.optional(Schema.String)
      }))
      .addSuccess(Schema.Unknown)
      .addError(UnauthorizedBody)
      .addError(ForbiddenBody)
      .addError(NotFoundBody)
      .addError(GoneBody)
      .addError(ConflictBody)
      .addError(BadGatewayBody)
      .addError(ServiceUnavailableBody)
      .addError(UnavailableBody)
  )
{}
