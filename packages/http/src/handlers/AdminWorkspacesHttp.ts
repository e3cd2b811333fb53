/** Handlers of the admin workspace routes (§5.12): bootstrap-failed and test-token. */
import { HttpApiBuilder } from "@effect/platform"
import { Registry, Tokens, WorkspaceId } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { Api } from "../Api.js"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { bearer, isAdminToken } from "../guards/Credentials.js"
import { NotFound, Unauthorized, invalidWorkspaceId } from "../wire/Errors.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

/** `POST /admin/workspaces/:id/bootstrap-failed`: one `Registry` call; `no_change` when it was not provisioning. */
export const BootstrapFailedLive = HttpApiBuilder.group(Api, "adminWorkspaces", (handlers) =>
  Effect.gen(function* () {
    const registry = yield* Registry
    return handlers.handle("bootstrapFailed", ({ path, payload }) =>
      registry.bootstrapFailed(path.id, { error: payload.error ?? "", logTail: payload.log_tail ?? "" }).pipe(
        Effect.map((changed) => (changed ? { ok: true as const } : { ok: true as const, no_change: true as const })),
        mapCoreErrors
      ))
  })).pipe(Layer.provide(AdminAuth.layer))

export const TestTokenLive = HttpApiBuilder.group(Api, "testToken", (handlers) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const tokens = yield* Tokens
    return handlers.handle("testToken", ({ path, request }) =>
      Effect.gen(function* () {
        if (!config.testTokens) return yield* Effect.fail(new NotFound({ error: "not found" }))
        if (Option.isSome(config.adminToken)) {
          const token = bearer(request.headers)
          if (Option.isNone(token) || !isAdminToken(config.adminToken, token.value)) {
            return yield* Effect.fail(new Unauthorized({ error: "admin auth required" }))
          }
        }
        const id = Option.getOrUndefined(decodeId(path.id))
        if (id === undefined) return yield* Effect.fail(invalidWorkspaceId)
        // An extra token: existing ones stay valid.
        const issued = yield* mapCoreErrors(tokens.mintExtra(id))
        return { auth_token: issued.token, workspace_id: id }
      }))
  }))
