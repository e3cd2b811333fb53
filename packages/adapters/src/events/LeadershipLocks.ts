/**
 * `Leadership` adapters (§7). Postgres: a session-level advisory lock per loop name, taken with
 * `pg_try_advisory_lock` on a dedicated connection (not a pool connection, which would be returned and reused) and
 * held from then on; a lost connection interrupts the running pass and the lock is sought again. Embedded: the single
 * process always leads.
 */
import { Leadership } from "@berth/core"
import type { Duration, Redacted } from "effect"
import { Deferred, Effect, ExecutionStrategy, Exit, Layer, Scope } from "effect"
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

/** A lock this replica holds: the connection holding it lives in a scope of its own. */
interface Held {
  readonly lost: Deferred.Deferred<void>
  readonly release: Effect.Effect<void>
}

/**
 * Postgres: advisory lock keyed by `hashtextextended('berth:<name>', 0)`. Once taken, a lock is kept — its connection
 * stays open — until the layer closes or the connection dies, so a follower never gets it between two passes of the
 * leader: each loop's pass runs once per period across replicas (§7), not once per replica.
 */
export const makePg = (options: PgLeadershipOptions): Effect.Effect<Leadership["Type"], never, Scope.Scope> =>
  Effect.gen(function* () {
    const retry = options.retryInterval ?? "5 seconds"
    const layerScope = yield* Effect.scope
    const held = new Map<string, Held>()
    const permits = new Map<string, Effect.Semaphore>()
    const permitOf = (name: string) => {
      const existing = permits.get(name)
      if (existing !== undefined) return existing
      const made = Effect.unsafeMakeSemaphore(1)
      permits.set(name, made)
      return made
    }

    /** Takes the lock on a new connection, waiting while another replica holds it; "lost" when the connection fails. */
    const take = (name: string): Effect.Effect<Held | "lost"> =>
      Effect.gen(function* () {
        const scope = yield* Scope.fork(layerScope, ExecutionStrategy.sequential)
        const release = Scope.close(scope, Exit.void)
        return yield* Effect.gen(function* () {
          const { client, lost } = yield* Scope.extend(connect(options.url, "berth-leadership"), scope)
          const tryLock = query(() =>
            client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [`berth:${name}`])
          ).pipe(Effect.map((r) => r.rows[0]?.locked === true))
          while (!(yield* tryLock)) {
            const ended = yield* Effect.raceFirst(Effect.as(Effect.sleep(retry), false), Effect.as(Deferred.await(lost), true))
            if (ended) return "lost" as const
          }
          yield* Effect.logDebug(`leading ${name}`)
          return { lost, release } satisfies Held
        }).pipe(
          Effect.catchIf((e): e is ConnectionLost => e instanceof ConnectionLost, (e) =>
            Effect.as(Effect.logWarning(`leadership ${name}: connection failed`, e.cause), "lost" as const)),
          // Closing the connection is what releases a session lock: close it unless the lock is now held.
          Effect.onExit((exit) => (Exit.isSuccess(exit) && exit.value !== "lost" ? Effect.void : release))
        )
      })

    /** The held lock `name`, taken first when this replica does not hold it (or its connection died). */
    const acquire = (name: string): Effect.Effect<Held | "lost"> =>
      permitOf(name).withPermits(1)(Effect.gen(function* () {
        const current = held.get(name)
        if (current !== undefined && !(yield* Deferred.isDone(current.lost))) return current
        held.delete(name)
        if (current !== undefined) yield* current.release
        const taken = yield* take(name)
        if (taken !== "lost") held.set(name, taken)
        return taken
      }))

    const runAsLeader = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>): Effect.Effect<void, E, R> =>
      Effect.gen(function* () {
        while (true) {
          const lock = yield* acquire(name)
          if (lock !== "lost") {
            const outcome = yield* Effect.raceFirst(
              Effect.as(effect, "done" as const),
              Effect.as(Deferred.await(lock.lost), "lost" as const)
            )
            if (outcome === "done") return
            yield* Effect.logWarning(`leadership ${name}: connection lost while leading, seeking the lock again`)
          }
          yield* Effect.sleep(retry)
        }
      })

    return Leadership.of({ runAsLeader })
  })

/** Postgres leadership; the held locks (and their connections) are released when the layer closes. */
export const layerPg = (options: PgLeadershipOptions): Layer.Layer<Leadership> => Layer.scoped(Leadership, makePg(options))
