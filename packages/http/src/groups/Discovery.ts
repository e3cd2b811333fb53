/**
 * Peer discovery (§5.11.1): where to reach a peer, a workspace's team, and the bare hierarchy answer. No route guard:
 * the caller's token is judged by the registry token gate (§4.4) against the workspace it speaks for (the
 * `X-Workspace-ID` header of discover, the `:id` of peers), so the handlers run it after decoding.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { WorkspaceId } from "@berth/core"
import { Schema } from "effect"
import {
  ForbiddenBody, GoneBody, NotFoundBody, PeerNotAvailableBody, UnauthorizedBody, UnavailableBody
} from "../wire/Errors.js"

const idParam = HttpApiSchema.param("id", WorkspaceId.WorkspaceId)

export const PeerAddress = Schema.Struct({ id: Schema.String, url: Schema.String, name: Schema.String })

/** One peer as upstream lists it: `role` and `agent_card` are null when empty, `url` is "" when unknown. */
export const PeerElement = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Schema.NullOr(Schema.String),
  tier: Schema.Number,
  status: Schema.String,
  agent_card: Schema.Unknown,
  url: Schema.String,
  parent_id: Schema.NullOr(Schema.String),
  active_tasks: Schema.Number
})

/** Both ids are required strings; a wrong type anywhere is `invalid request body`, a non-UUID one `invalid workspace ID`. */
export const CheckAccessPayload = Schema.Struct({
  caller_id: Schema.optional(Schema.String),
  target_id: Schema.optional(Schema.String)
}).annotations({ message: () => ({ message: "invalid request body", override: true }) })

export class DiscoveryGroup extends HttpApiGroup.make("discovery")
  .add(
    HttpApiEndpoint.get("discover")`/registry/discover/${idParam}`
      // required; its absence is the contract's own 400, so the schema leaves it optional
      .setHeaders(Schema.Struct({ "x-workspace-id": Schema.optional(Schema.String) }))
      .addSuccess(PeerAddress)
      .addError(UnauthorizedBody)
      .addError(ForbiddenBody)
      .addError(NotFoundBody)
      .addError(GoneBody)
      .addError(PeerNotAvailableBody)
  )
  .add(
    HttpApiEndpoint.get("peers")`/registry/${idParam}/peers`
      .setUrlParams(Schema.Struct({ q: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(PeerElement))
      .addError(UnauthorizedBody)
      .addError(NotFoundBody)
      .addError(GoneBody)
  )
  .add(
    HttpApiEndpoint.post("checkAccess", "/registry/check-access")
      .setPayload(CheckAccessPayload)
      .addSuccess(Schema.Struct({ allowed: Schema.Boolean }))
  )
  .addError(UnavailableBody)
{}
