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

/**
 * The registry token gate (§4.4) refused: the workspace holds a live token and the request presented none
 * (`presented` false → 401 `missing workspace auth token`) or another one (→ 401 `invalid workspace auth token`).
 */
export class TokenRejected extends Schema.TaggedError<TokenRejected>()("TokenRejected", {
  workspaceId: Schema.String,
  presented: Schema.Boolean
}) {}
/** An ancestor of the workspace is `paused` (→ 409 `parent workspace "<name>" is paused — resume it first`, §5.6 rule 1). */
export class AncestorPaused extends Schema.TaggedError<AncestorPaused>()("AncestorPaused", {
  id: Schema.String,
  ancestorName: Schema.String
}) {}

/** The backend has no machine console: only the CP provisioner has one (→ 501, §5.12 `GET …/console`). */
export class NoMachineConsole extends Schema.TaggedError<NoMachineConsole>()("NoMachineConsole", {}) {}
/** A workspace with live children was deleted without `?confirm=true` (§5.5 rule 1 → 409 `confirmation_required`). */
export class SubtreeNeedsConfirmation extends Schema.TaggedError<SubtreeNeedsConfirmation>()("SubtreeNeedsConfirmation", {
  children: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String }))
}) {}

/** Delete marked the rows `removed` but some stops failed (§5.5 rule 6 → 500); a retry is safe. */
export class WorkloadStopsFailed extends Schema.TaggedError<WorkloadStopsFailed>()("WorkloadStopsFailed", {
  removedCount: Schema.Number,
  /** Client-safe texts, one per failed stop. */
  failures: Schema.Array(Schema.String)
}) {}

/** `?purge=true` could not remove a data volume or the rows (§5.5 rule 7 → 500 `purge failed`); the rows stay `removed`. */
export class PurgeFailed extends Schema.TaggedError<PurgeFailed>()("PurgeFailed", {}) {}

/** Create could not store the workspace (§5.2 → 500 `failed to create workspace`); details are logged. */
export class WorkspaceCreateFailed extends Schema.TaggedError<WorkspaceCreateFailed>()("WorkspaceCreateFailed", {}) {}

/** An `Idempotency-Key` reused with another request body (→ 409). */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {}) {}

/** The first request with this `Idempotency-Key` is still running, here or on another replica (→ 409, retry). */
export class IdempotencyKeyInProgress extends Schema.TaggedError<IdempotencyKeyInProgress>()("IdempotencyKeyInProgress", {}) {}

/** Saving or clearing the model or provider pick failed (§5.7 → 500 `failed to <operation> <setting>`). */
export class WorkspaceSettingWriteFailed extends Schema.TaggedError<WorkspaceSettingWriteFailed>()("WorkspaceSettingWriteFailed", {
  setting: Schema.Literal("model", "provider"),
  operation: Schema.Literal("clear", "encrypt", "save")
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

/** CanCommunicate (§4.5) does not let the caller reach the workspace it asked about (§5.11.1 → 403). */
export class PeerForbidden extends Schema.TaggedError<PeerForbidden>()("PeerForbidden", {
  callerId: Schema.String,
  targetId: Schema.String
}) {}

/** Discovery found the peer but it has no URL a caller can use (§5.11.1 → 503 `workspace not available` with its status). */
export class PeerUnavailable extends Schema.TaggedError<PeerUnavailable>()("PeerUnavailable", {
  id: Schema.String,
  status: Schema.String
}) {}

/**
 * The workspace is not in a status the operation leaves (§2.4 → 404 with the route's words):
 * unknown, removed, or already paused (pause), not paused (resume), not online/degraded or external (hibernate).
 */
export class NotInLifecycleState extends Schema.TaggedError<NotInLifecycleState>()("NotInLifecycleState", {
  id: Schema.String,
  operation: Schema.Literal("pause", "resume", "hibernate")
}) {}

/** Hibernate without `force` of a workspace whose agent reports work in progress (→ 409 with `active_tasks`). */
export class WorkspaceBusy extends Schema.TaggedError<WorkspaceBusy>()("WorkspaceBusy", {
  id: Schema.String,
  activeTasks: Schema.Number
}) {}

/** The workload could not be stopped: the workspace is back in its prior status with `reason` recorded (→ 500). */
export class HibernateFailed extends Schema.TaggedError<HibernateFailed>()("HibernateFailed", {
  id: Schema.String,
  reason: Schema.String
}) {}

// The A2A proxy (§5.13). Each names what went wrong for the caller; the wire table words them as upstream does.

/** An `X-Workspace-ID` spelling a system caller (`webhook:`, `system:`, `test:`, `channel:`): only server code may (→ 403). */
export class A2aCallerForged extends Schema.TaggedError<A2aCallerForged>()("A2aCallerForged", {
  callerId: Schema.String
}) {}

/** The hierarchy rule (§4.5) does not let the calling workspace reach the target (→ 403). */
export class A2aAccessDenied extends Schema.TaggedError<A2aAccessDenied>()("A2aAccessDenied", {
  callerId: Schema.String,
  targetId: Schema.String
}) {}

/** The request body is over the proxy's limit (→ 413); nothing was forwarded. */
export class A2aBodyTooLarge extends Schema.TaggedError<A2aBodyTooLarge>()("A2aBodyTooLarge", {
  limitBytes: Schema.Number
}) {}

/** The target's monthly spend reached its `budget_limit` (→ 402). */
export class BudgetExceeded extends Schema.TaggedError<BudgetExceeded>()("BudgetExceeded", {
  id: Schema.String
}) {}

/** The target was hibernated; its wake has started (→ 503 with `Retry-After`). */
export class WorkspaceWaking extends Schema.TaggedError<WorkspaceWaking>()("WorkspaceWaking", {
  id: Schema.String,
  retryAfterSeconds: Schema.Number
}) {}

/** The target has no agent URL on file (→ 503 with its status). */
export class AgentUrlMissing extends Schema.TaggedError<AgentUrlMissing>()("AgentUrlMissing", {
  id: Schema.String,
  status: Schema.String
}) {}

/** The target's URL fails the agent URL rules (§9.6) at call time (→ 502); nothing was sent. */
export class AgentUrlRefused extends Schema.TaggedError<AgentUrlRefused>()("AgentUrlRefused", {
  id: Schema.String,
  reason: Schema.String
}) {}

/** The agent timed out or dropped the connection: most likely busy with an earlier request (→ 503 with `Retry-After`). */
export class AgentBusy extends Schema.TaggedError<AgentBusy>()("AgentBusy", {
  id: Schema.String,
  retryAfterSeconds: Schema.Number
}) {}

/** The agent could not be reached; `restarting` when its workload was found dead and a restart was asked for (→ 503, else 502). */
export class AgentUnreachable extends Schema.TaggedError<AgentUnreachable>()("AgentUnreachable", {
  id: Schema.String,
  restarting: Schema.Boolean
}) {}

/** The agent answered but its body could not be read whole (→ 502); `deliveryConfirmed` when its status was 2xx/3xx. */
export class AgentResponseUnreadable extends Schema.TaggedError<AgentResponseUnreadable>()("AgentResponseUnreadable", {
  id: Schema.String,
  deliveryConfirmed: Schema.Boolean
}) {}

/** The agent answered with a status of 300 or more (→ that status, `{"error": message}`). */
export class AgentAnsweredError extends Schema.TaggedError<AgentAnsweredError>()("AgentAnsweredError", {
  status: Schema.Number,
  message: Schema.String
}) {}
