import { Schema } from "effect"

/**
 * Domain errors. Each is a `Schema.TaggedError`, so it is serialisable and the HTTP edge maps it to the
 * contract's status code and body; core never knows about HTTP.
 */

/** A path or body id that is not UUID-shaped (→ 400 `invalid workspace ID`). */
export class InvalidWorkspaceId extends Schema.TaggedError<InvalidWorkspaceId>()("InvalidWorkspaceId", {
  raw: Schema.String
}) {}

/** Bad client input with the exact message the contract gives for it (→ 400). */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  message: Schema.String
}) {}

/** No such workspace row (→ 404 `workspace not found`). */
export class WorkspaceNotFound extends Schema.TaggedError<WorkspaceNotFound>()("WorkspaceNotFound", {
  id: Schema.String
}) {}

/** The workspace is the `removed` tombstone (→ 410 with `removed_at`, §5.4). */
export class WorkspaceRemoved extends Schema.TaggedError<WorkspaceRemoved>()("WorkspaceRemoved", {
  id: Schema.String,
  removedAt: Schema.NullOr(Schema.DateFromSelf)
}) {}

/** No provisioning backend (neither Docker nor CP) is configured (§8.1). */
export class NoBackend extends Schema.TaggedError<NoBackend>()("NoBackend", {}) {
  override get message() {
    return "provisioner: no backend configured"
  }
}

/**
 * A provisioner operation failed. `excerpt` is at most the first 512 bytes of an upstream body (CP) or the
 * engine's message (Docker); it is for logs, never for clients. `retryable` separates transient faults from bad input.
 */
export class ProvisionFailed extends Schema.TaggedError<ProvisionFailed>()("ProvisionFailed", {
  operation: Schema.String,
  workspaceId: Schema.String,
  message: Schema.String,
  status: Schema.optional(Schema.Number),
  excerpt: Schema.optional(Schema.String),
  retryable: Schema.Boolean
}) {}

/** The datastore could not answer (→ 503 `platform datastore unavailable` in guards, 500 elsewhere). */
export class DatastoreUnavailable extends Schema.TaggedError<DatastoreUnavailable>()("DatastoreUnavailable", {
  message: Schema.String
}) {}

/** The workspace has no platform inbound secret on file (§9.3); never cached. */
export class NoInboundSecret extends Schema.TaggedError<NoInboundSecret>()("NoInboundSecret", {
  workspaceId: Schema.String
}) {}

/** Writing a secret failed: `encrypt` → `failed to encrypt secret: <key>`, `save` → `failed to save secret: <key>` (§5.2). */
export class SecretWriteFailed extends Schema.TaggedError<SecretWriteFailed>()("SecretWriteFailed", {
  key: Schema.String,
  operation: Schema.Literal("encrypt", "save")
}) {}

/** A stored secret could not be decrypted (§5.7 `failed to decrypt`, §8.1 `failed to decrypt <scope> secret`). */
export class SecretDecryptFailed extends Schema.TaggedError<SecretDecryptFailed>()("SecretDecryptFailed", {
  scope: Schema.Literal("workspace", "global"),
  key: Schema.String
}) {}

/** A workspace already holds the maximum of live tokens (§5.12 → 429 `maximum 50 active tokens per workspace`). */
export class TokenLimitReached extends Schema.TaggedError<TokenLimitReached>()("TokenLimitReached", {
  limit: Schema.Number
}) {}

/** An activity `since_id` cursor names no row of this workspace (§5.10 → 410). */
export class ActivityCursorNotFound extends Schema.TaggedError<ActivityCursorNotFound>()("ActivityCursorNotFound", {
  sinceId: Schema.String
}) {}

/** No secret of that key in that scope (§5.8 → 404 `secret not found`). */
export class SecretNotFound extends Schema.TaggedError<SecretNotFound>()("SecretNotFound", {
  key: Schema.String
}) {}

/** No live token of that id in that workspace (§5.12 → 404 `token not found or already revoked`). */
export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", {
  tokenId: Schema.String
}) {}

/** An activity report names a `source_id` other than the workspace it is filed under (§5.10 → 403). */
export class ActivitySourceMismatch extends Schema.TaggedError<ActivitySourceMismatch>()("ActivitySourceMismatch", {
  sourceId: Schema.String
}) {}
