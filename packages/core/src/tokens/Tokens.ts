/**
 * Workspace API tokens (§3.2, §5.12): list, mint within the live-token cap, revoke, the extra test token, and the
 * token checks the guards of §4.2–4.5 make. Comparing a bearer with `ADMIN_TOKEN` stays at the edge that holds the
 * setting; what the datastore decides is here.
 */
import { Effect, Option } from "effect"
import { TokenNotFound } from "../domain/Errors.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { requireNotRemoved } from "../workspaces/LiveWorkspace.js"
import { isUuid } from "../domain/Uuid.js"

/** The cap of live tokens per workspace (§5.12). */
export const MAX_LIVE_TOKENS = 50


/** `limit` 1–200 (default 50; out of range clamps, garbage defaults); `offset` ≥ 0 (default 0). */
export const tokenPaging = (limit: string | undefined, offset: string | undefined) => {
  const l = limit !== undefined && /^-?\d+$/.test(limit) ? Number(limit) : 50
  const o = offset !== undefined && /^\d+$/.test(offset) ? Number(offset) : 0
  return { limit: l < 1 ? 1 : Math.min(l, 200), offset: o }
}

/** Who a bearer is for a workspace route (§4.2): an org token, a live token of that workspace, or neither. */
export type BearerVerdict = "org" | "workspace" | "invalid"

/** What AdminAuth (§4.3) knows before asking the datastore. */
export interface AdminRequest {
  readonly adminTokenSet: boolean
  /**
   * Whether a server without `ADMIN_TOKEN` keeps upstream's fresh-install, dev fail-open and deprecated tiers
   * (`BERTH_ADMIN_LEGACY_TIERS`, on by default); off, only `ADMIN_TOKEN` and org tokens pass.
   */
  readonly legacyTiers: boolean
  readonly devEnv: boolean
  readonly bearer: Option.Option<string>
  /** The bearer equals `ADMIN_TOKEN` (compared in constant time by the edge). */
  readonly bearerIsAdminToken: boolean
}

/** AdminAuth's answer: let through, or the 401 it fails with (`required`: no bearer, `invalid`: a wrong one). */
export type AdminVerdict = "allowed" | "required" | "invalid"

export class Tokens extends Effect.Service<Tokens>()("@berth/core/Tokens", {
  effect: Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const store = yield* WorkspaceStore

    /** Live tokens of a workspace, newest first, within `tokenPaging`'s window. */
    const list = Effect.fn("Tokens.list")(function* (id: WorkspaceId, limit: number, offset: number) {
      return yield* tokens.list(id, limit, offset)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** A new token of a non-removed workspace; fails `WorkspaceNotFound` or `TokenLimitReached` at the cap. */
    const mint = Effect.fn("Tokens.mint")(function* (id: WorkspaceId) {
      yield* requireNotRemoved(store, id)
      return yield* tokens.issue(id, MAX_LIVE_TOKENS)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** An extra token beyond the cap (the admin test-token route): existing tokens stay valid. */
    const mintExtra = Effect.fn("Tokens.mintExtra")(function* (id: WorkspaceId) {
      yield* requireNotRemoved(store, id)
      // no cap is passed, so the limit cannot be reached
      return yield* tokens.issue(id).pipe(Effect.catchTag("TokenLimitReached", (e) => Effect.die(e)))
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** Revokes one live token of the workspace; fails `TokenNotFound` when none matched. */
    const revoke = Effect.fn("Tokens.revoke")(function* (id: WorkspaceId, tokenId: string) {
      // A token id that is not a UUID names no token (and must not reach a uuid column).
      if (!isUuid(tokenId)) return yield* Effect.fail(new TokenNotFound({ tokenId }))
      if (!(yield* tokens.revoke(id, tokenId.toLowerCase()))) return yield* Effect.fail(new TokenNotFound({ tokenId }))
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** §4.2: an org token, else a live token of `workspaceId` (none when the route id is not a workspace id). */
    const judgeBearer = Effect.fn("Tokens.judgeBearer")(function* (workspaceId: Option.Option<WorkspaceId>, token: string) {
      if (yield* tokens.validateOrg(token)) return "org" as BearerVerdict
      if (Option.isSome(workspaceId) && (yield* tokens.validate(workspaceId.value, token))) return "workspace" as BearerVerdict
      return "invalid" as BearerVerdict
    })

    /** True when `token` is a live token of that workspace (the KI-005 claim check, §4.5). */
    const belongsTo = Effect.fn("Tokens.belongsTo")(function* (id: WorkspaceId, token: string) {
      return yield* tokens.validate(id, token)
    })

    /**
     * §4.3 in order: a fresh install (no `ADMIN_TOKEN`, no live workspace token anywhere) and dev fail-open pass;
     * otherwise a bearer is required and must be `ADMIN_TOKEN`, an org token, or, without `ADMIN_TOKEN`, any live
     * workspace token (the deprecated tier). The tiers of a server without `ADMIN_TOKEN` apply only with `legacyTiers`.
     */
    const judgeAdmin = Effect.fn("Tokens.judgeAdmin")(function* (request: AdminRequest) {
      const legacy = !request.adminTokenSet && request.legacyTiers
      if (legacy) {
        if (request.devEnv) return "allowed" as AdminVerdict
        if (!(yield* tokens.anyLive)) return "allowed" as AdminVerdict
      }
      if (Option.isNone(request.bearer)) return "required" as AdminVerdict
      if (request.bearerIsAdminToken) return "allowed" as AdminVerdict
      if (yield* tokens.validateOrg(request.bearer.value)) return "allowed" as AdminVerdict
      if (legacy && (yield* tokens.validateAny(request.bearer.value)) !== null) return "allowed" as AdminVerdict
      return "invalid" as AdminVerdict
    })

    return { list, mint, mintExtra, revoke, judgeBearer, belongsTo, judgeAdmin } as const
  })
}) {}
