/**
 * Core's tagged errors as the contract's wire errors: ONE table for every route. A route whose contract text differs
 * catches those tags itself first with one of the overrides below (`Effect.catchTags`), then hands the rest to
 * `mapCoreErrors`; tags the table does not know pass through unchanged.
 */
import type { Errors } from "@berth/core"
import { Effect } from "effect"
import { invalidToken, missingToken } from "../guards/WorkspaceAuth.js"
import {
  BadGateway, BadRequest, BundleRefused, Busy, Conflict, ConfirmationRequired, Forbidden, Gone, Internal, NotFound,
  NotImplemented, PeerNotAvailable, ServiceUnavailable, StopFailed, TooManyRequests, datastoreUnavailable,
  invalidWorkspaceId, workspaceNotFound,
  workspaceRemoved
} from "./Errors.js"

/** §5.5 rule 1, word for word. */
const confirmMessage = "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete."

/** §2.4: the 404 of each lifecycle route, word for word. */
const notInStateMessages: Record<Errors.NotInLifecycleState["operation"], string> = {
  pause: "workspace not found or already paused",
  resume: "workspace not found or not paused",
  hibernate: "workspace not found or not in a hibernatable state (must be online or degraded)"
}

const table = {
  InvalidInput: (e: Errors.InvalidInput) => new BadRequest({ error: e.message }),
  InvalidWorkspaceId: (_: Errors.InvalidWorkspaceId) => invalidWorkspaceId,
  WorkspaceNotFound: (_: Errors.WorkspaceNotFound) => workspaceNotFound,
  WorkspaceRemoved: (e: Errors.WorkspaceRemoved) => workspaceRemoved(e.id, e.removedAt),
  // §4.2 rule 3: clients retry it
  DatastoreUnavailable: (_: Errors.DatastoreUnavailable) => datastoreUnavailable,
  SecretWriteFailed: (e: Errors.SecretWriteFailed) => new Internal({ error: `failed to ${e.operation} secret: ${e.key}` }),
  SecretDecryptFailed: (_: Errors.SecretDecryptFailed) => new Internal({ error: "failed to decrypt" }),
  WorkspaceCreateFailed: (_: Errors.WorkspaceCreateFailed) => new Internal({ error: "failed to create workspace" }),
  IdempotencyKeyReused: (_: Errors.IdempotencyKeyReused) =>
    new Conflict({ error: "Idempotency-Key was already used with a different request body" }),
  IdempotencyKeyInProgress: (_: Errors.IdempotencyKeyInProgress) =>
    new Conflict({ error: "a request with this Idempotency-Key is still in progress; retry shortly" }),
  SubtreeNeedsConfirmation: (e: Errors.SubtreeNeedsConfirmation) => new ConfirmationRequired({
    status: "confirmation_required",
    message: confirmMessage,
    children: e.children,
    children_count: e.children.length
  }),
  WorkloadStopsFailed: (e: Errors.WorkloadStopsFailed) => new StopFailed({
    error: `workspace marked removed, but ${e.failures.length} stop call(s) failed — please retry: ${e.failures.join("; ")}`,
    removed_count: e.removedCount,
    stop_failures: e.failures.length
  }),
  PurgeFailed: (_: Errors.PurgeFailed) => new Internal({ error: "purge failed" }),
  WorkspaceSettingWriteFailed: (e: Errors.WorkspaceSettingWriteFailed) =>
    new Internal({ error: `failed to ${e.operation} ${e.setting}` }),
  // §4.4: the registry token gate
  TokenRejected: (e: Errors.TokenRejected) => (e.presented ? invalidToken : missingToken),
  SecretNotFound: (_: Errors.SecretNotFound) => new NotFound({ error: "secret not found" }),
  TokenNotFound: (_: Errors.TokenNotFound) => new NotFound({ error: "token not found or already revoked" }),
  TokenLimitReached: (e: Errors.TokenLimitReached) =>
    new TooManyRequests({ error: `maximum ${e.limit} active tokens per workspace` }),
  ActivityCursorNotFound: (_: Errors.ActivityCursorNotFound) => new Gone({
    error: "since_id cursor not found (row may have been pruned or belongs to a different workspace); omit since_id to reset"
  }),
  ActivitySourceMismatch: (_: Errors.ActivitySourceMismatch) =>
    new Forbidden({ error: "source_id must match authenticated workspace" }),
  // §5.6 rule 1
  AncestorPaused: (e: Errors.AncestorPaused) =>
    new Conflict({ error: `parent workspace "${e.ancestorName}" is paused — resume it first` }),
  // §5.6 rule 3: no `code`, unlike the datastore 503
  NoBackend: (_: Errors.NoBackend) => new ServiceUnavailable({ error: "provisioner not available" }),
  NoMachineConsole: (_: Errors.NoMachineConsole) =>
    new NotImplemented({ error: "console output requires the control-plane provisioner" }),
  // §5.11.1 discovery
  PeerForbidden: (_: Errors.PeerForbidden) => new Forbidden({ error: "not authorized to discover this workspace" }),
  PeerUnavailable: (e: Errors.PeerUnavailable) => new PeerNotAvailable({ error: "workspace not available", status: e.status }),
  // §2.4: upstream's words per route
  NotInLifecycleState: (e: Errors.NotInLifecycleState) => new NotFound({ error: notInStateMessages[e.operation] }),
  WorkspaceBusy: (e: Errors.WorkspaceBusy) =>
    new Busy({ error: "workspace has active tasks; use ?force=true to terminate them", active_tasks: e.activeTasks }),
  // §2.4: the status was put back; the reason is in the event, `last_sample_error` and the log, not for clients
  HibernateFailed: (_: Errors.HibernateFailed) =>
    new Internal({ error: "failed to hibernate workspace: its workload could not be stopped" })
} as const

type Table = typeof table
type Known = keyof Table

/** The wire error each error of `E` becomes: the table's, or itself when the table does not know its tag. */
export type WireOf<E> = E extends { readonly _tag: infer K extends Known } ? ReturnType<Table[K]> : E

const isKnown = (tag: string): tag is Known => Object.hasOwn(table, tag)

/** The wire error of one core error. */
export const wireError = <E extends { readonly _tag: string }>(e: E): WireOf<E> => {
  const tag = e._tag
  // The table is indexed by the error's own tag, so each entry gets the class it was written for.
  return (isKnown(tag) ? (table[tag] as (error: E) => unknown)(e) : e) as WireOf<E>
}

/** Maps every core error of `self` through the table. */
export const mapCoreErrors = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, WireOf<E>, R> =>
  Effect.mapError(self, wireError)

/** Route overrides: where the contract words a fault differently, applied with `Effect.catchTags` before `mapCoreErrors`. */
const internal = (error: string) => () => Effect.fail(new Internal({ error }))

/** `POST /registry/register` (§5.9): a datastore fault reads `registration failed`. */
export const onRegister = { DatastoreUnavailable: internal("registration failed") } as const
/** Heartbeat and update-card (§5.10–5.11): a datastore fault reads `failed to update`. */
export const onAgentUpdate = { DatastoreUnavailable: internal("failed to update") } as const
/** The secrets routes (§5.8): the key is not echoed in a write failure. */
export const onSecretRoute = {
  SecretWriteFailed: (e: Errors.SecretWriteFailed) => Effect.fail(new Internal({ error: `failed to ${e.operation} secret` }))
} as const
/** `GET …/secrets/values` (§5.8): a value that does not decrypt refuses the whole bundle, naming the key. */
export const onSecretValues = {
  SecretDecryptFailed: (e: Errors.SecretDecryptFailed) => Effect.fail(new BundleRefused({
    error: "one or more secrets failed to decrypt; refusing to return partial bundle",
    failed_keys: [`${e.scope}:${e.key}`]
  }))
} as const
/** `GET …/console` (§5.12): the CP answering badly is a 502. */
export const onConsole = {
  ProvisionFailed: () => Effect.fail(new BadGateway({ error: "failed to fetch console output" }))
} as const
