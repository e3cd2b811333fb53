import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable, TokenLimitReached } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** A freshly minted token: the plaintext exists only here and is shown once (§3.2). */
export interface IssuedToken {
  readonly id: string
  /** 32 random bytes, base64url without padding (43 characters). */
  readonly token: string
  /** The first 8 characters, the only part ever stored in clear. */
  readonly prefix: string
}

/** A token as listed (§5.12): never its value. */
export interface TokenInfo {
  readonly id: string
  readonly prefix: string
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
}

/**
 * Workspace and org API tokens (§3.2). Only SHA-256 hashes are stored; validation compares hashes in constant time.
 * A token is live when `revoked_at IS NULL` and (for workspace tokens) its workspace is not `removed`.
 * A validation that succeeds sets `last_used_at` in the same statement when the stamp is over a minute old (§3.2:
 * best effort), so most validations write nothing.
 */
export class TokenRepository extends Context.Tag("@berth/core/TokenRepository")<TokenRepository, {
  /** Mints a token for the workspace; with `maxLive`, fails `TokenLimitReached` when that many are live (one statement). */
  readonly issue: (workspaceId: WorkspaceId, maxLive?: number) => Effect.Effect<IssuedToken, DatastoreUnavailable | TokenLimitReached>
  /** True when `token` is a live token bound to `workspaceId`. */
  readonly validate: (workspaceId: WorkspaceId, token: string) => Effect.Effect<boolean, DatastoreUnavailable>
  /** The workspace a live token belongs to, if any (AdminAuth's deprecated tier, KI-005). */
  readonly validateAny: (token: string) => Effect.Effect<WorkspaceId | null, DatastoreUnavailable>
  /** True when the workspace holds at least one live token (registry token gate, §4.4). */
  readonly hasLive: (workspaceId: WorkspaceId) => Effect.Effect<boolean, DatastoreUnavailable>
  /** True when any live workspace token exists anywhere (AdminAuth fresh-install rule, §4.3). */
  readonly anyLive: Effect.Effect<boolean, DatastoreUnavailable>
  /** Live tokens of a workspace, newest first, paged. */
  readonly list: (workspaceId: WorkspaceId, limit: number, offset: number) => Effect.Effect<ReadonlyArray<TokenInfo>, DatastoreUnavailable>
  /** Revokes one live token of this workspace; false when none matched ("not found or already revoked"). */
  readonly revoke: (workspaceId: WorkspaceId, tokenId: string) => Effect.Effect<boolean, DatastoreUnavailable>
  /** Revokes every live token of the workspace (provision mint step, delete); returns how many. */
  readonly revokeAll: (workspaceId: WorkspaceId) => Effect.Effect<number, DatastoreUnavailable>
  /**
   * Orphan sweeper pass 3 candidates (§7.3): workspaces with a live token, status not `removed`/`provisioning`,
   * runtime ≠ `external`, token `COALESCE(last_used_at, created_at)` older than `graceSeconds`.
   */
  readonly staleTokenWorkspaces: (graceSeconds: number) => Effect.Effect<ReadonlyArray<WorkspaceId>, DatastoreUnavailable>
  /** Revokes that workspace's stale tokens, repeating the staleness condition (a token minted meanwhile survives). */
  readonly revokeStale: (workspaceId: WorkspaceId, graceSeconds: number) => Effect.Effect<number, DatastoreUnavailable>
  /** True when `token` is a live org API token. */
  readonly validateOrg: (token: string) => Effect.Effect<boolean, DatastoreUnavailable>
  /** Mints an org API token (minting is outside the contract; tests and operators use it). */
  readonly issueOrg: (input: { readonly name: string; readonly createdBy: string | null; readonly orgId: string | null }) => Effect.Effect<IssuedToken, DatastoreUnavailable>
}>() {}
