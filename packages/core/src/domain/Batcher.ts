/**
 * Group commit: callers submit one item each and wait; a worker fiber takes everything queued (up to `maxBatch`),
 * runs it as ONE batch, and answers every caller with its own result once the batch has finished. Items arriving
 * while a batch is in flight go together in the next one, so a light load runs each item alone at once and a heavy
 * load runs few large batches: the cost of a round trip (a commit) is shared instead of paid per item.
 *
 * The queue and its workers belong to the scope that made the batcher; closing it interrupts the batch in flight
 * and every caller still waiting.
 */
import type { Scope } from "effect"
import { Chunk, Deferred, Effect, Exit, Queue } from "effect"

export interface Batcher<A, B, E> {
  /** Queues one item and waits for its result; fails as its batch failed. */
  readonly submit: (item: A) => Effect.Effect<B, E>
  /** Queues one item without waiting: it runs in a batch like the others, its result or failure goes unheard. */
  readonly offer: (item: A) => Effect.Effect<void>
}

export interface Options<A, B, E> {
  /** Runs one batch, answering one result per item, in the items' order (a wrong count is a defect). */
  readonly run: (items: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<B>, E>
  /** The most items one batch takes. */
  readonly maxBatch: number
  /** How many batches may be in flight at once (default 1: strict group commit). */
  readonly concurrency?: number
}

interface Entry<A, B, E> {
  readonly item: A
  readonly answer: Deferred.Deferred<B, E>
}

/** A batcher whose workers live in the current scope. */
export const make = <A, B, E>(options: Options<A, B, E>): Effect.Effect<Batcher<A, B, E>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queue = yield* Effect.acquireRelease(
      Queue.unbounded<Entry<A, B, E>>(),
      // Workers are interrupted first (they were forked later); then nobody would ever answer what is still queued.
      (queue) =>
        Effect.flatMap(Queue.takeAll(queue), (left) =>
          Effect.zipRight(Effect.forEach(left, (e) => Deferred.interrupt(e.answer), { discard: true }), Queue.shutdown(queue)))
    )

    const answer = (entries: ReadonlyArray<Entry<A, B, E>>, exit: Exit.Exit<ReadonlyArray<B>, E>) =>
      Effect.forEach(entries, (entry, i) => {
        if (Exit.isFailure(exit)) return Deferred.failCause(entry.answer, exit.cause)
        return exit.value.length === entries.length
          ? Deferred.succeed(entry.answer, exit.value[i]!)
          : Deferred.die(entry.answer, new Error(`batch answered ${exit.value.length} results for ${entries.length} items`))
      }, { discard: true })

    const runOne = Effect.gen(function* () {
      const entries = Chunk.toReadonlyArray(yield* Queue.takeBetween(queue, 1, options.maxBatch))
      yield* Effect.exit(options.run(entries.map((e) => e.item))).pipe(
        Effect.flatMap((exit) => answer(entries, exit)),
        Effect.onInterrupt(() => Effect.forEach(entries, (e) => Deferred.interrupt(e.answer), { discard: true }))
      )
    })

    const workers = Math.max(1, options.concurrency ?? 1)
    for (let i = 0; i < workers; i++) yield* Effect.forkScoped(Effect.forever(runOne))

    const enqueue = (item: A) =>
      Effect.flatMap(Deferred.make<B, E>(), (answer) => Effect.as(Queue.offer(queue, { item, answer }), answer))
    return {
      submit: (item: A) => Effect.flatMap(enqueue(item), Deferred.await),
      offer: (item: A) => Effect.asVoid(enqueue(item))
    }
  })
