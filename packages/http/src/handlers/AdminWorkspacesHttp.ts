/** Handlers of the admin workspace routes (§5.12): bootstrap-failed and test-token. */
import { HttpApiBuilder } from "@effect/platform"
import { EventBus, Tokens, WorkspaceId, WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { Api } from "../Api.js"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { bearer, isAdminToken } from "../guards/Credentials.js"
import { NotFound, Unauthorized, invalidWorkspaceId, orUnavailable } from "../wire/Errors.js"
import { mapRestErrors } from "../wire/RestErrors.js"

/** The bootstrap watcher's tail and the stored sample error keep at most this many bytes (§5.12). */
export const MAX_BYTES = 8192

/** The last `max` bytes of a UTF-8 string. */
export const lastBytes = (text: string, max = MAX_BYTES): string => {
  const bytes = Buffer.from(text, "utf8")
  return bytes.length <= max ? text : bytes.subarray(bytes.length - max).toString("utf8")
}

/** `last_sample_error`: the error, then the tail, within the byte cap (the tail's end is what matters). */
export const sampleError = (error: string, tail: string): string =>
  lastBytes(tail === "" ? error : error === "" ? tail : `${error}\n${tail}`)

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

export const BootstrapFailedLive = HttpApiBuilder.group(Api, "adminWorkspaces", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* WorkspaceRepository
    const bus = yield* EventBus
    return handlers.handle("bootstrapFailed", ({ path, payload }) =>
      Effect.gen(function* () {
        const error = payload.error ?? ""
        const tail = lastBytes(payload.log_tail ?? "")
        const recorded = yield* orUnavailable(workspaces.transition({
          id: path.id,
          to: "failed",
          from: ["provisioning"],
          set: { lastSampleError: sampleError(error, tail) },
          event: { type: "WORKSPACE_PROVISION_FAILED", payload: { error, log_tail: tail, source: "bootstrap_watcher" } }
        }))
        if (Option.isNone(recorded)) return { ok: true as const, no_change: true as const }
        yield* bus.publish(recorded.value)
        return { ok: true as const }
      }))
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
        const issued = yield* mapRestErrors(tokens.mintExtra(id))
        return { auth_token: issued.token, workspace_id: id }
      }))
  }))
