/**
 * `Leadership` adapters (§7). Postgres: a session-level advisory lock per loop name, taken with
 * `pg_try_advisory_lock` on a dedicated connection (not a pool connection, which would be returned and reused) and held
 * while the loop runs; a lost connection interrupts the loop and leadership is sought again. Embedded: the single
 * process always leads.
 */
import { Leadership } from "@berth/core"
import type { Duration, Redacted } from "effect"
import { Deferred, Effect, Layer } from "effect"
import { connect, ConnectionLost, query } from "./DedicatedConnection.js"

/** Embedded database: always the leader. */
export const layerLocal: Layer.Layer<Leadership> = Layer.succeed(Leadership, Leadership.of({
  runAsLeader: (_name, effect) => Effect.asVoid(effect)
}))

export interface PgLeadershipOptions {
  readonly url: Redacted.Redacted
  /** How often a follower retries the lock, and the wait after a connection failure. */
  readonly retryInterval?: Duration.DurationInput
}

/** Postgres: advisory lock keyed by `hashtextextended('berth:<name>', 0)`. */
export const makePg = (options: PgLeadershipOptions) => {
  const retry = options.retryInterval ?? "5 seconds"
  const runAsLeader = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>): Effect.Effect<void, E, R> => {
    // One attempt: connect, then poll the lock; once held, run `effect` until it ends or the connection is lost.
    const attempt: Effect.Effect<"done" | "lost", E, R> = Effect.scoped(Effect.gen(function* () {
      const { client, lost } = yield* connect(options.url, "berth-leadership")
      const tryLock = query(() =>
        client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [`berth:${name}`])
      ).pipe(Effect.map((r) => r.rows[0]?.locked === true))
      while (!(yield* tryLock)) {
        const ended = yield* Effect.raceFirst(Effect.as(Effect.sleep(retry), false), Effect.as(Deferred.await(lost), true))
        if (ended) return "lost" as const
      }
      yield* Effect.logDebug(`leading ${name}`)
      // Closing the connection (scope end) releases the session lock, so no explicit unlock is needed.
      return yield* Effect.raceFirst(Effect.as(effect, "done" as const), Effect.as(Deferred.await(lost), "lost" as const))
    })).pipe(
      Effect.catchIf((e): e is ConnectionLost => e instanceof ConnectionLost, (e) =>
        Effect.as(Effect.logWarning(`leadership ${name}: connection failed`, e.cause), "lost" as const))
    )
    return Effect.gen(function* () {
      while ((yield* attempt) === "lost") yield* Effect.sleep(retry)
    })
  }
  return Leadership.of({ runAsLeader })
}

export const layerPg = (options: PgLeadershipOptions): Layer.Layer<Leadership> => Layer.succeed(Leadership, makePg(options))
