/**
 * The Postgres `EventBus` (§6): publication reaches every replica. A publish delivers locally at once and sends
 * `pg_notify(channel, payload)` (not `sql.notify`, broken in @effect/sql-pg 0.53); other replicas receive it
 * through LISTEN on a dedicated connection, opened again whenever it is lost (`sql.listen` keeps a dead connection
 * forever, and with it every later broadcast). LISTEN is only a wake-up, so recorded events are also found by a slow
 * poll of `structure_events` past the last `seq` seen (at once after each reconnect); duplicates are dropped by `seq`.
 * Notifications are group-committed (`Batcher`) and publishers do not wait for them: every heartbeat publishes one,
 * and a transaction per NOTIFY would cost a commit each, serialized on the server's notification queue.
 */
import { PgClient } from "@effect/sql-pg"
import { Batcher, EventBus, Events } from "@berth/core"
import { randomUUID } from "node:crypto"
import type { Duration, Redacted, Scope } from "effect"
import { Deferred, Effect, Layer, PubSub, Queue, Ref, Schedule, Schema, Stream } from "effect"
import { asyncCommitCte } from "../sql/AsyncCommit.js"
import { eventColumns, EventRows, toStoredEvents } from "../sql/EventRows.js"
import { connect, query } from "./DedicatedConnection.js"

export const channel = "berth_events"

/** NOTIFY payloads must stay under 8000 bytes; larger recorded events travel as their `seq` only. */
const maxPayloadBytes = 7900
/** How many sequence numbers the poll looks back, for transactions that committed out of `seq` order. */
const lookback = 100
/** Remembered `seq`s for de-duplication. */
const seenCapacity = 10_000

const Wire = Schema.parseJson(Schema.Struct({
  origin: Schema.String,
  seq: Schema.optional(Schema.Number),
  event: Schema.optional(Schema.Struct({
    seq: Schema.optionalWith(Schema.Number, { exact: true }),
    type: Events.EventType,
    workspaceId: Schema.NullOr(Schema.String),
    payload: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
    createdAt: Schema.Date
  }))
}))

export interface EventBusPgOptions {
  /** The database, for the LISTEN connection (the pool serves everything else). */
  readonly url: Redacted.Redacted
  /** Poll period of `structure_events` (default 5 s). */
  readonly pollInterval?: Duration.DurationInput
}

export const make = (options: EventBusPgOptions): Effect.Effect<EventBus["Type"], never, PgClient.PgClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    const origin = randomUUID()
    const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<Events.WorkspaceEvent>(), PubSub.shutdown)
    const seen = yield* Ref.make<{ readonly set: Set<number>; readonly order: Array<number> }>({ set: new Set(), order: [] })
    const cursor = yield* Ref.make(0)

    /** Publishes locally unless this recorded event was already delivered. */
    const deliver = (event: Events.WorkspaceEvent) =>
      Effect.gen(function* () {
        if (event.seq !== undefined) {
          const seq = event.seq
          const fresh = yield* Ref.modify(seen, (s) => {
            if (s.set.has(seq)) return [false, s] as const
            s.set.add(seq)
            s.order.push(seq)
            if (s.order.length > seenCapacity) s.set.delete(s.order.shift() ?? seq)
            return [true, s] as const
          })
          if (!fresh) return
          yield* Ref.update(cursor, (c) => Math.max(c, seq))
        }
        yield* PubSub.publish(pubsub, event)
      })

    // Start the cursor at the present: subscribers see events published from now on.
    const head = yield* sql`SELECT COALESCE(max(seq), 0)::float8 AS seq FROM structure_events`.pipe(
      Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ seq: Schema.Number })))),
      Effect.map((rows) => rows[0]?.seq ?? 0),
      Effect.orElseSucceed(() => 0)
    )
    yield* Ref.set(cursor, head)

    const fetchFrom = (afterSeq: number) =>
      sql`SELECT ${sql.literal(eventColumns)} FROM structure_events WHERE seq > ${afterSeq}::bigint ORDER BY seq LIMIT 1000`.pipe(
        Effect.flatMap(Schema.decodeUnknown(EventRows)),
        Effect.map(toStoredEvents)
      )

    const poll = Effect.gen(function* () {
      // Never below the head at start: older events were published before this replica subscribed.
      const from = Math.max(head, (yield* Ref.get(cursor)) - lookback)
      for (const event of yield* fetchFrom(from)) yield* deliver(event)
    }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("event poll failed", cause)))

    const onNotification = (raw: string) =>
      Effect.gen(function* () {
        const message = yield* Schema.decodeUnknown(Wire)(raw)
        if (message.origin === origin) return
        if (message.event !== undefined) return yield* deliver(message.event)
        if (message.seq !== undefined) {
          for (const event of yield* fetchFrom(message.seq - 1)) if (event.seq === message.seq) yield* deliver(event)
        }
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("bad event notification", cause)))

    // This replica's own notifications come back too (one per heartbeat): dropped before decoding. `publish` writes
    // `origin` first, so its prefix identifies them.
    const ownPrefix = JSON.stringify({ origin }).slice(0, -1)

    /**
     * One LISTEN session, until its connection is lost. A session after a loss first polls for what was recorded
     * while no LISTEN was up (the first one starts at the head: nothing before it is for this replica's subscribers).
     */
    const session = (catchUp: boolean) => Effect.scoped(Effect.gen(function* () {
      const { client, lost } = yield* connect(options.url, "berth-events")
      const notifications = yield* Queue.unbounded<string>()
      client.on("notification", (message) => {
        if (message.channel !== channel || message.payload === undefined || message.payload.startsWith(ownPrefix)) return
        Queue.unsafeOffer(notifications, message.payload)
      })
      yield* query(() => client.query(`LISTEN ${channel}`))
      if (catchUp) yield* poll
      yield* Effect.raceFirst(Stream.runForEach(Stream.fromQueue(notifications), onNotification), Deferred.await(lost))
    }).pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("event LISTEN failed", cause)),
      Effect.zipRight(Effect.logWarning("event LISTEN connection lost, reconnecting")),
      Effect.zipRight(Effect.sleep("1 second"))
    ))

    const listen = Effect.zipRight(session(false), Effect.forever(session(true)))
    yield* Effect.forkScoped(listen)
    yield* Effect.forkScoped(Effect.repeat(poll, Schedule.spaced(options.pollInterval ?? "5 seconds")))

    // One statement per batch, committed asynchronously (a NOTIFY is a wake-up, the events table is the truth);
    // `count` evaluates pg_notify in array order, which listeners then receive. Publishers do not wait for it.
    const notifier = yield* Batcher.make({
      run: (payloads: ReadonlyArray<string>) =>
        sql`
          WITH ${asyncCommitCte(sql)}
          SELECT count(pg_notify(${channel}, p)) FROM jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) AS p
          CROSS JOIN async_commit`.pipe(
          Effect.catchAllCause((cause) => Effect.logWarning(`event publish failed (${payloads.length} notifications)`, cause)),
          Effect.as(payloads.map(() => undefined))
        ),
      maxBatch: 256
    })

    const publish = (event: Events.WorkspaceEvent) =>
      Effect.gen(function* () {
        yield* deliver(event)
        const full = JSON.stringify({ origin, event })
        const payload = Buffer.byteLength(full) <= maxPayloadBytes
          ? full
          : event.seq !== undefined
          ? JSON.stringify({ origin, seq: event.seq })
          : undefined
        if (payload === undefined) {
          return yield* Effect.logWarning(`event ${event.type} too large for NOTIFY; delivered on this replica only`)
        }
        yield* notifier.offer(payload)
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("event publish failed", cause)))

    return EventBus.of({
      publish,
      subscribe: Stream.fromPubSub(pubsub, { scoped: true })
    })
  })

/** Requires the `PgClient` (every statement but LISTEN goes through its pool). */
export const layer = (options: EventBusPgOptions): Layer.Layer<EventBus, never, PgClient.PgClient> =>
  Layer.scoped(EventBus, make(options))
