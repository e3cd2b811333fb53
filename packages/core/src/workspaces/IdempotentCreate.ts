/**
 * `Idempotency-Key` on create (a Berth addition). A key binds to the fingerprint of the request: the same key with the
 * same fingerprint answers the first result again (the same workspace, no second row); with another fingerprint it
 * fails `IdempotencyKeyReused`. Requests with one key are serialized in this process, so concurrent retries wait for
 * the first answer; across replicas the database claim decides, and a key still being served elsewhere fails
 * `IdempotencyKeyInProgress` (retry). A request that fails gives its key up, so the client may retry it.
 */
import { Effect, Exit, Schema } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { IdempotencyKeyInProgress, IdempotencyKeyReused } from "../domain/Errors.js"
import { IdempotencyKeys } from "../ports/IdempotencyKeys.js"

/** What a caller hands over: the key (absent or empty: no idempotency) and the fingerprint of its request. */
export interface IdempotencyRequest {
  readonly key: string | undefined
  readonly fingerprint: string
}

/** One mutex per key, dropped when its last user leaves. */
const keyedLock = () => {
  const locks = new Map<string, { readonly lock: Effect.Semaphore; users: number }>()
  return <A, E, R>(key: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const entry = locks.get(key) ?? { lock: Effect.unsafeMakeSemaphore(1), users: 0 }
        entry.users += 1
        locks.set(key, entry)
        return entry
      }),
      (entry) => entry.lock.withPermits(1)(effect),
      (entry) => Effect.sync(() => {
        entry.users -= 1
        if (entry.users === 0) locks.delete(key)
      })
    )
}

/**
 * The wrapper of one use case (`scope` names it in the key store). `answer` is the schema results are stored with;
 * `stored` what a replay reads (`answer`, or a union that also reads an earlier version's bodies); `status` is what
 * the port records beside the body (the route's success status).
 */
export const make = <A, I, IS>(scope: string, answer: Schema.Schema<A, I>, stored: Schema.Schema<A, IS>, status: number) =>
  Effect.gen(function* () {
    const keys = yield* IdempotencyKeys
    const serialized = keyedLock()
    const encode = Schema.encode(answer)
    const replay = Schema.decodeUnknown(stored)
    return <E, R>(
      request: IdempotencyRequest,
      run: Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | IdempotencyKeyReused | IdempotencyKeyInProgress | DatastoreUnavailable, R> => {
      const key = request.key
      if (key === undefined || key === "") return run
      return serialized(key, Effect.gen(function* () {
        const claim = yield* keys.claim(scope, key, request.fingerprint)
        switch (claim._tag) {
          case "Replay":
            // A stored answer this code cannot read is a fault, not the client's.
            return yield* Effect.orDie(replay(claim.answer.body))
          case "Mismatch":
            return yield* Effect.fail(new IdempotencyKeyReused())
          case "InProgress":
            return yield* Effect.fail(new IdempotencyKeyInProgress())
          case "Claimed":
            return yield* run.pipe(Effect.onExit((exit) =>
              (Exit.isSuccess(exit)
                ? Effect.flatMap(Effect.orDie(encode(exit.value)), (body) => keys.complete(scope, key, { status, body }))
                : keys.release(scope, key)
              ).pipe(Effect.catchAll((e) => Effect.logWarning("idempotency: key bookkeeping failed", e)))))
        }
      }))
    }
  })
