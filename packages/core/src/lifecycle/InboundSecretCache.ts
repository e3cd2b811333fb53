/**
 * In-process cache of platform inbound secrets (contract §9.3): keyed by workspace id, 5-minute TTL on the Effect
 * Clock, read-through, write-through on issue. Absence and errors are never cached.
 */
import { Clock, Effect, Ref } from "effect"
import { NoInboundSecret } from "../domain/Errors.js"

/** Entries expire this long after they were stored. */
export const TTL_MILLIS = 5 * 60 * 1000

interface Entry {
  readonly secret: string
  readonly expiresAt: number
}

/** The inbound-secret cache. */
export class InboundSecretCache extends Effect.Service<InboundSecretCache>()("@berth/core/InboundSecretCache", {
  effect: Effect.gen(function* () {
    const entries = yield* Ref.make<ReadonlyMap<string, Entry>>(new Map())

    /** Store a freshly issued secret (write-through). */
    const put = (workspaceId: string, secret: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(entries, (m) => new Map(m).set(workspaceId, { secret, expiresAt: now + TTL_MILLIS })))

    /** Cached secret if younger than the TTL, else `load` (only a value is cached). */
    const get = <E, R>(workspaceId: string, load: Effect.Effect<string, E | NoInboundSecret, R>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const hit = (yield* Ref.get(entries)).get(workspaceId)
        if (hit !== undefined && now < hit.expiresAt) return hit.secret
        const secret = yield* load
        if (secret === "") return yield* Effect.fail(new NoInboundSecret({ workspaceId }))
        yield* put(workspaceId, secret)
        return secret
      })

    /** Forget everything (tests). */
    const reset = Ref.set(entries, new Map())

    return { get, put, reset } as const
  })
}) {}
