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
import type { Redacted, Scope } from "effect"
import { Cause, Data, Deferred, Duration, Effect, Layer, PubSub, Queue, Ref, Schedule, Schema, Stream } from "effect"
import { asyncCommitCte } from "../sql/AsyncCommit.js"
import { eventColumns, EventRows, toStoredEvents } from "../sql/EventRows.js"
import { connect, ConnectionLost, query } from "./DedicatedConnection.js"

export const channel = "berth_events"

/** NOTIFY payloads must stay under 8000 bytes; larger recorded events travel as their `seq` only. */
const maxPayloadBytes = 7900
/** How many sequence numbers the poll looks back, for transactions that committed out of `seq` order. */
const lookback = 100
/** Rows per query of `structure_events`. */
const replayPage = 1000
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
  /** How long start-up waits for the first LISTEN before failing with `EventBusNotListening` (default 30 s). */
  readonly listenTimeout?: Duration.DurationInput
}

/** Start-up failed: no LISTEN could be established in time, so this replica would miss other replicas' events. */
export class EventBusNotListening extends Data.TaggedError("EventBusNotListening")<{
  readonly within: string
  readonly last: string
}> {
  override get message() {
    return `event bus: no LISTEN on Postgres within ${this.within}; last error: ${this.last}`
  }
}

/** A session's failure for the start-up error: the driver's own error when the connection failed. */
const describe = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  return String(error instanceof ConnectionLost ? error.cause : error)
}

export const make = (
  options: EventBusPgOptions
): Effect.Effect<EventBus["Type"], EventBusNotListening, PgClient.PgClient | Scope.Scope> =>
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
      sql`SELECT ${sql.literal(eventColumns)} FROM structure_events WHERE seq > ${afterSeq}::bigint ORDER BY seq LIMIT ${replayPage}`.pipe(
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

    /** Every recorded event after `afterSeq`, page by page (an outage may have recorded more than one page). */
    const replay = (afterSeq: number): Effect.Effect<void, unknown> =>
      Effect.flatMap(fetchFrom(afterSeq), (events) =>
        Effect.zipRight(
          Effect.forEach(events, deliver, { discard: true }),
          events.length < replayPage ? Effect.void : replay(events[events.length - 1]?.seq ?? afterSeq)
        ))

    // Where the last LISTEN was lost (the head before the first): every subscriber connected since is past it.
    const resumeAt = yield* Ref.make(head)
    const listening = yield* Deferred.make<void>()
    const lastFailure = yield* Ref.make("still connecting")

    /**
     * One LISTEN session, until its connection is lost. Once listening it replays what was recorded since the last
     * LISTEN was lost (or since the head, for the first): whoever subscribed while no LISTEN was up misses nothing
     * recorded. The replay starts at the position of that loss, not at the cursor, which this replica's own
     * publications may have moved past events the others recorded meanwhile.
     */
    const session = Effect.scoped(Effect.gen(function* () {
      const from = yield* Ref.get(resumeAt)
      const { client, lost } = yield* connect(options.url, "berth-events")
      const notifications = yield* Queue.unbounded<string>()
      client.on("notification", (message) => {
        if (message.channel !== channel || message.payload === undefined || message.payload.startsWith(ownPrefix)) return
        Queue.unsafeOffer(notifications, message.payload)
      })
      yield* query(() => client.query(`LISTEN ${channel}`))
      yield* replay(Math.max(head, from - lookback))
      yield* Deferred.succeed(listening, undefined)
      yield* Effect.raceFirst(Stream.runForEach(Stream.fromQueue(notifications), onNotification), Deferred.await(lost)).pipe(
        Effect.ensuring(Effect.flatMap(Ref.get(cursor), (at) => Ref.set(resumeAt, at)))
      )
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.zipRight(Ref.set(lastFailure, describe(cause)), Effect.logWarning("event LISTEN failed", cause))),
      Effect.zipRight(Effect.logWarning("event LISTEN connection lost, reconnecting")),
      Effect.zipRight(Effect.sleep("1 second"))
    ))

    yield* Effect.forkScoped(Effect.forever(session))
    // Ready only once listening: a replica that served before would lose every broadcast of that window.
    const listenTimeout = options.listenTimeout ?? "30 seconds"
    yield* Deferred.await(listening).pipe(
      Effect.timeout(listenTimeout),
      Effect.catchTag("TimeoutException", () =>
        Effect.flatMap(Ref.get(lastFailure), (last) =>
          Effect.fail(new EventBusNotListening({ within: Duration.format(listenTimeout), last }))))
    )
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
export const layer = (options: EventBusPgOptions): Layer.Layer<EventBus, EventBusNotListening, PgClient.PgClient> =>
  Layer.scoped(EventBus, make(options))
