import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"

/** The answer stored for a key, replayed verbatim to a retry with the same body. */
export interface StoredAnswer {
  readonly status: number
  readonly body: unknown
}

/**
 * What a claim found: the key is now this caller's (`Claimed`), a finished request with the same fingerprint
 * (`Replay`), the same key used for a different body (`Mismatch`), or a request with the key still running
 * (`InProgress`, e.g. on another replica).
 */
export type Claim =
  | { readonly _tag: "Claimed" }
  | { readonly _tag: "Replay"; readonly answer: StoredAnswer }
  | { readonly _tag: "Mismatch" }
  | { readonly _tag: "InProgress" }

/**
 * `Idempotency-Key` records (a Berth addition to `POST /workspaces`). A key is scoped (`scope` names the route), bound
 * to the fingerprint of the request body, and answered once: the first caller claims it, does the work and completes
 * it with the answer; later callers get that answer back. Keys expire after 24 hours; a claim abandoned without an
 * answer (a crash) can be taken over after 5 minutes. Stored answers are encrypted like secrets (they may carry a
 * token shown once).
 */
export class IdempotencyKeys extends Context.Tag("@berth/core/IdempotencyKeys")<IdempotencyKeys, {
  /** One statement: insert the claim, or report what holds the key. */
  readonly claim: (scope: string, key: string, fingerprint: string) => Effect.Effect<Claim, DatastoreUnavailable>
  /** Stores the answer of a claimed key. */
  readonly complete: (scope: string, key: string, answer: StoredAnswer) => Effect.Effect<void, DatastoreUnavailable>
  /** Gives a claimed key up (the request failed without an answer worth replaying), so a retry can claim it. */
  readonly release: (scope: string, key: string) => Effect.Effect<void, DatastoreUnavailable>
}>() {}
