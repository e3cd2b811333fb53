/**
 * A Postgres connection of its own, outside the pool, for session state a pool would lose or share: LISTEN
 * (EventBusPg) and session advisory locks (LeadershipLocks). Its loss — `pg_terminate_backend`, a server restart, a
 * network cut — completes `lost`, so the owner can notice and connect again instead of waiting on a dead socket.
 */
import { Data, Deferred, Effect, Exit, Redacted } from "effect"
import pg from "pg"

/** The connection failed or went away. */
export class ConnectionLost extends Data.TaggedError("DedicatedConnectionLost")<{ readonly cause: unknown }> {}

/** One call on the connection; a rejection is `ConnectionLost`. */
export const query = <A>(run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new ConnectionLost({ cause }) })

/** Connects in the current scope (closed with it); `lost` completes when the connection errors or ends. */
export const connect = (url: Redacted.Redacted, applicationName: string) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const lost = yield* Deferred.make<void>()
      const client = new pg.Client({ connectionString: Redacted.value(url), application_name: applicationName })
      const onLost = () => Deferred.unsafeDone(lost, Exit.void)
      client.on("error", onLost)
      client.on("end", onLost)
      yield* query(() => client.connect())
      return { client, lost } as const
    }),
    ({ client }) => Effect.promise(() => client.end().catch(() => undefined)).pipe(Effect.timeoutOption("2 seconds"))
  )
