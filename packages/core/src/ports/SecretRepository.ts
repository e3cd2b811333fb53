import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable, SecretDecryptFailed, SecretWriteFailed } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

export type SecretScope = "workspace" | "global"

/** A secret as listed (§5.8): never its value. */
export interface SecretInfo {
  readonly key: string
  readonly scope: SecretScope
  readonly createdAt: Date
  readonly updatedAt: Date
}

/**
 * Workspace and global secrets (§3.3). Writes use the current encryption version (1 = AES-256-GCM when
 * `SECRETS_ENCRYPTION_KEY` is set, else 0 = plaintext bytes); reads follow the stored version.
 */
export class SecretRepository extends Context.Tag("@berth/core/SecretRepository")<SecretRepository, {
  /** Whether writes are encrypted (false → the caller warns once at start). */
  readonly encryptionEnabled: boolean
  /** Upserts a workspace secret. */
  readonly putWorkspace: (id: WorkspaceId, key: string, value: string) => Effect.Effect<void, DatastoreUnavailable | SecretWriteFailed>
  /** Deletes a workspace secret; false when there was none. */
  readonly deleteWorkspace: (id: WorkspaceId, key: string) => Effect.Effect<boolean, DatastoreUnavailable>
  /** One decrypted workspace secret (e.g. `MODEL_PROVIDER`, §5.7). */
  readonly getWorkspace: (id: WorkspaceId, key: string) => Effect.Effect<Option.Option<string>, DatastoreUnavailable | SecretDecryptFailed>
  /** `GET …/secrets`: workspace keys, then global keys not overridden (§5.8), each ordered by key. */
  readonly listForWorkspace: (id: WorkspaceId) => Effect.Effect<ReadonlyArray<SecretInfo>, DatastoreUnavailable>
  /** Upserts a global secret. */
  readonly putGlobal: (key: string, value: string) => Effect.Effect<void, DatastoreUnavailable | SecretWriteFailed>
  /** Deletes a global secret; false when there was none. */
  readonly deleteGlobal: (key: string) => Effect.Effect<boolean, DatastoreUnavailable>
  /** Global secrets ordered by key. */
  readonly listGlobal: Effect.Effect<ReadonlyArray<SecretInfo>, DatastoreUnavailable>
  /** Provisioning env: global secrets, overridden by workspace ones of the same key, all decrypted (§3.3, §8.1). */
  readonly loadForProvision: (id: WorkspaceId) => Effect.Effect<Readonly<Record<string, string>>, DatastoreUnavailable | SecretDecryptFailed>
  /** Workspaces a global-secret change restarts: non-removed, non-paused, non-external, no override of `key` (§5.8). */
  readonly workspacesUsingGlobal: (key: string) => Effect.Effect<ReadonlyArray<WorkspaceId>, DatastoreUnavailable>
}>() {}
