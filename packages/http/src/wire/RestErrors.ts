/**
 * Core errors of the secrets, tokens, activity, events and templates use cases → the contract's wire errors, one
 * table (to be merged with `CoreErrors.ts`). `mapRestErrors` keeps each handler's error type exact: a use case that cannot
 * fail with `TokenLimitReached` does not widen its route to a 429.
 */
import type { Errors } from "@berth/core"
import { Effect } from "effect"
import {
  BadRequest,
  Forbidden,
  Gone,
  Internal,
  NotFound,
  TooManyRequests,
  datastoreUnavailable,
  workspaceNotFound,
  workspaceRemoved
} from "./Errors.js"

const table = {
  DatastoreUnavailable: (_: Errors.DatastoreUnavailable) => datastoreUnavailable,
  InvalidInput: (e: Errors.InvalidInput) => new BadRequest({ error: e.message }),
  WorkspaceNotFound: (_: Errors.WorkspaceNotFound) => workspaceNotFound,
  WorkspaceRemoved: (e: Errors.WorkspaceRemoved) => workspaceRemoved(e.id, e.removedAt),
  SecretNotFound: (_: Errors.SecretNotFound) => new NotFound({ error: "secret not found" }),
  SecretWriteFailed: (e: Errors.SecretWriteFailed) => new Internal({ error: `failed to ${e.operation} secret` }),
  TokenNotFound: (_: Errors.TokenNotFound) => new NotFound({ error: "token not found or already revoked" }),
  TokenLimitReached: (e: Errors.TokenLimitReached) =>
    new TooManyRequests({ error: `maximum ${e.limit} active tokens per workspace` }),
  ActivityCursorNotFound: (_: Errors.ActivityCursorNotFound) => new Gone({
    error: "since_id cursor not found (row may have been pruned or belongs to a different workspace); omit since_id to reset"
  }),
  ActivitySourceMismatch: (_: Errors.ActivitySourceMismatch) =>
    new Forbidden({ error: "source_id must match authenticated workspace" })
} as const

type Table = typeof table
/** A core error this table maps. */
export type RestCoreError = Parameters<Table[keyof Table]>[0]
/** The wire error a core error becomes. */
export type WireOf<E> = E extends { readonly _tag: infer T extends keyof Table } ? ReturnType<Table[T]> : never

/** The wire error of one core error. */
export const wireError = <E extends RestCoreError>(e: E): WireOf<E> =>
  (table[e._tag] as (e: E) => WireOf<E>)(e)

/** Maps every core error of `self` to its wire error; other errors pass unchanged. */
export const mapRestErrors = <A, E extends { readonly _tag: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, WireOf<Extract<E, RestCoreError>> | Exclude<E, RestCoreError>, R> =>
  Effect.mapError(self, (e) =>
    e._tag in table ? wireError(e as Extract<E, RestCoreError>) : (e as Exclude<E, RestCoreError>))
