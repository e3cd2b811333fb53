/** Handlers of workspace tokens (§5.12). */
import { HttpApiBuilder } from "@effect/platform"
import { TokenRepository, WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { NotFound, TooManyRequests, orUnavailable, rfc3339, workspaceNotFound } from "../wire/Errors.js"

/** The cap of live tokens per workspace. */
export const MAX_LIVE_TOKENS = 50
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** `limit` 1–200 (default 50; out of range clamps, garbage defaults); `offset` ≥ 0 (default 0). */
export const paging = (limit: string | undefined, offset: string | undefined) => {
  const l = limit !== undefined && /^-?\d+$/.test(limit) ? Number(limit) : 50
  const o = offset !== undefined && /^\d+$/.test(offset) ? Number(offset) : 0
  return { limit: l < 1 ? 1 : Math.min(l, 200), offset: o }
}

const notFound = new NotFound({ error: "token not found or already revoked" })

export const TokensLive = HttpApiBuilder.group(Api, "tokens", (handlers) =>
  Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const workspaces = yield* WorkspaceRepository
    return handlers
      .handle("list", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const { limit, offset } = paging(urlParams.limit, urlParams.offset)
          const rows = yield* tokens.list(path.id, limit, offset)
          return {
            tokens: rows.map((t) => ({
              id: t.id,
              prefix: t.prefix,
              created_at: rfc3339(t.createdAt),
              last_used_at: t.lastUsedAt === null ? null : rfc3339(t.lastUsedAt)
            })),
            count: rows.length
          }
        }).pipe(orUnavailable))
      .handle("mint", ({ path }) =>
        Effect.gen(function* () {
          const row = yield* workspaces.get(path.id)
          if (Option.isNone(row) || row.value.status === "removed") return yield* Effect.fail(workspaceNotFound)
          const issued = yield* tokens.issue(path.id, MAX_LIVE_TOKENS).pipe(
            Effect.catchTag("TokenLimitReached", () =>
              Effect.fail(new TooManyRequests({ error: `maximum ${MAX_LIVE_TOKENS} active tokens per workspace` })))
          )
          return {
            auth_token: issued.token,
            workspace_id: path.id,
            message: "Save this token now — it cannot be retrieved again."
          }
        }).pipe(orUnavailable))
      .handle("revoke", ({ path }) =>
        Effect.gen(function* () {
          // A token id that is not a UUID names no token (and must not reach a uuid column).
          if (!UUID.test(path.tokenId)) return yield* Effect.fail(notFound)
          const revoked = yield* tokens.revoke(path.id, path.tokenId.toLowerCase())
          if (!revoked) return yield* Effect.fail(notFound)
          return { status: "revoked" as const }
        }).pipe(orUnavailable))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
