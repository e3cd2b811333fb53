/**
 * `Idempotency-Key` on `POST /workspaces` (a Berth addition). A key binds to the fingerprint of the request body:
 * the same key with the same body answers the first 201 again (the same workspace, no second row); with another body
 * it is `409 {"error": …}`. Requests with one key are serialized in this process, so concurrent retries wait for the
 * first answer; across replicas the database claim decides, and a key still being served elsewhere is a 409 to retry.
 * A request that fails gives its key up, so the client may retry it.
 */
import { IdempotencyKeys } from "@berth/core"
import type { StoredAnswer } from "@berth/core"
import { Effect, Exit } from "effect"
import { createHash } from "node:crypto"
import { Conflict, orUnavailable } from "../wire/Errors.js"
import type { Unavailable } from "../wire/Errors.js"

/** JSON with object keys sorted at every level: two bodies differing only in key order are the same request. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

export const fingerprint = (body: unknown): string => createHash("sha256").update(canonicalJson(body)).digest("hex")

export const reusedKey = new Conflict({ error: "Idempotency-Key was already used with a different request body" })
export const keyInProgress = new Conflict({ error: "a request with this Idempotency-Key is still in progress; retry shortly" })

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
 * Builds the wrapper for one route (`scope`). `run` produces the answer; `replay` turns a stored body back into the
 * route's success value.
 */
export const make = (scope: string) =>
  Effect.gen(function* () {
    const keys = yield* IdempotencyKeys
    const serialized = keyedLock()
    return <A extends object, E, R>(
      key: string | undefined,
      body: unknown,
      answer: { readonly status: number; readonly run: Effect.Effect<A, E, R>; readonly replay: (stored: StoredAnswer) => Effect.Effect<A> }
    ): Effect.Effect<A, E | Conflict | Unavailable, R> => {
      if (key === undefined || key === "") return answer.run
      const print = fingerprint(body)
      return serialized(key, Effect.gen(function* () {
        const claim = yield* orUnavailable(keys.claim(scope, key, print))
        switch (claim._tag) {
          case "Replay":
            return yield* answer.replay(claim.answer)
          case "Mismatch":
            return yield* Effect.fail(reusedKey)
          case "InProgress":
            return yield* Effect.fail(keyInProgress)
          case "Claimed":
            return yield* answer.run.pipe(Effect.onExit((exit) =>
              (Exit.isSuccess(exit)
                ? keys.complete(scope, key, { status: answer.status, body: exit.value })
                : keys.release(scope, key)
              ).pipe(Effect.catchAll((e) => Effect.logWarning("idempotency: key bookkeeping failed", e)))))
        }
      }))
    }
  })
