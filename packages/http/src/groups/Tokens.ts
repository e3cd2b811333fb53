/** Workspace tokens (§5.12): list, mint, revoke; WorkspaceAuth. Values are shown once, at mint. */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { NotFoundBody, TooManyRequestsBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export const TokenQuery = Schema.Struct({
  limit: Schema.optional(Schema.String),
  offset: Schema.optional(Schema.String)
})

export const TokenList = Schema.Struct({
  tokens: Schema.Array(Schema.Struct({
    id: Schema.String,
    prefix: Schema.String,
    created_at: Schema.String,
    last_used_at: Schema.NullOr(Schema.String)
  })),
  count: Schema.Number
})

export const MintedToken = Schema.Struct({
  auth_token: Schema.String,
  workspace_id: Schema.String,
  message: Schema.String
})

const tokenIdParam = HttpApiSchema.param("tokenId", Schema.String)

export class TokensGroup extends HttpApiGroup.make("tokens")
  .add(
    HttpApiEndpoint.get("list")`/workspaces/${workspaceIdParam}/tokens`
      .setUrlParams(TokenQuery)
      .addSuccess(TokenList)
  )
  .add(
    HttpApiEndpoint.post("mint")`/workspaces/${workspaceIdParam}/tokens`
      .addSuccess(MintedToken, { status: 201 })
      .addError(NotFoundBody)
      .addError(TooManyRequestsBody)
  )
  .add(
    HttpApiEndpoint.del("revoke")`/workspaces/${workspaceIdParam}/tokens/${tokenIdParam}`
      .addSuccess(Schema.Struct({ status: Schema.Literal("revoked") }))
      .addError(NotFoundBody)
  )
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
