/** Handlers of workspace tokens (§5.12): the use cases and the cap are core's `Tokens`. */
import { HttpApiBuilder } from "@effect/platform"
import { Tokens, tokenPaging } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { rfc3339 } from "../wire/Errors.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

export const TokensLive = HttpApiBuilder.group(Api, "tokens", (handlers) =>
  Effect.gen(function* () {
    const tokens = yield* Tokens
    return handlers
      .handle("list", ({ path, urlParams }) => {
        const { limit, offset } = tokenPaging(urlParams.limit, urlParams.offset)
        return tokens.list(path.id, limit, offset).pipe(
          Effect.map((rows) => ({
            tokens: rows.map((t) => ({
              id: t.id,
              prefix: t.prefix,
              created_at: rfc3339(t.createdAt),
              last_used_at: t.lastUsedAt === null ? null : rfc3339(t.lastUsedAt)
            })),
            count: rows.length
          })),
          mapCoreErrors
        )
      })
      .handle("mint", ({ path }) =>
        tokens.mint(path.id).pipe(
          Effect.map((issued) => ({
            auth_token: issued.token,
            workspace_id: path.id,
            message: "Save this token now — it cannot be retrieved again."
          })),
          mapCoreErrors
        ))
      .handle("revoke", ({ path }) =>
        tokens.revoke(path.id, path.tokenId).pipe(Effect.as({ status: "revoked" as const }), mapCoreErrors))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
