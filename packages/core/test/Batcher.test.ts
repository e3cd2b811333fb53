import { Batcher } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import type { Fiber } from "effect"
import { Data, Effect, Exit, Fiber as F, Queue, TestClock } from "effect"

class BatchFailed extends Data.TaggedError("BatchFailed")<{ readonly items: ReadonlyArray<number> }> {}

/**
 * A batcher whose batches each take one second of the test clock. `started` receives every batch when it begins,
 * so a test knows what is in flight; results are the items times ten, and a batch holding 13 fails.
 */
const slowBatcher = (options: { readonly maxBatch: number; readonly concurrency?: number; readonly miscount?: boolean }) =>
  Effect.gen(function* () {
    const started = yield* Queue.unbounded<ReadonlyArray<number>>()
    const batcher = yield* Batcher.make<number, number, BatchFailed>({
      ...options,
      run: (items) =>
        Effect.gen(function* () {
          yield* Queue.offer(started, items)
          yield* Effect.sleep("1 second")
          if (items.includes(13)) return yield* Effect.fail(new BatchFailed({ items }))
          return options.miscount === true ? items.slice(1).map((i) => i * 10) : items.map((i) => i * 10)
        })
    })
    return { batcher, started }
  })

/** Waits until every fiber is suspended (its item queued and waiting for its answer). */
const allWaiting = (fibers: ReadonlyArray<Fiber.RuntimeFiber<unknown, unknown>>) =>
  Effect.repeat(Effect.zipRight(Effect.yieldNow(), Effect.forEach(fibers, F.status)), {
    until: (statuses) => statuses.every((s) => s._tag === "Suspended")
  })

const submitAll = (batcher: Batcher.Batcher<number, number, BatchFailed>, items: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const fibers = yield* Effect.forEach(items, (i) => Effect.fork(batcher.submit(i)))
    yield* allWaiting(fibers)
    return fibers
  })

describe("Batcher (group commit)", () => {
  it.scoped("an idle batcher runs an item at once; items arriving meanwhile run together next, each answered its own", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 100 })
      const [first] = yield* submitAll(batcher, [1])
      expect(yield* Queue.take(started)).toEqual([1])
      const rest = yield* submitAll(batcher, [2, 3, 4])
      yield* TestClock.adjust("1 second")
      expect(yield* F.join(first!)).toBe(10)
      expect(yield* Queue.take(started)).toEqual([2, 3, 4])
      yield* TestClock.adjust("1 second")
      expect(yield* Effect.forEach(rest, F.join)).toEqual([20, 30, 40])
      expect(yield* Queue.size(started)).toBe(0)
    }))

  it.scoped("a batch takes at most maxBatch items, in arrival order", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 2 })
      yield* submitAll(batcher, [1])
      yield* Queue.take(started)
      const queued = yield* submitAll(batcher, [2, 3, 4, 5, 6])
      const batches: Array<ReadonlyArray<number>> = []
      for (let i = 0; i < 3; i++) {
        yield* TestClock.adjust("1 second")
        batches.push(yield* Queue.take(started))
      }
      yield* TestClock.adjust("1 second")
      expect(batches).toEqual([[2, 3], [4, 5], [6]])
      expect(yield* Effect.forEach(queued, F.join)).toEqual([20, 30, 40, 50, 60])
    }))

  it.scoped("a failed batch fails each of its callers; the next batch runs normally", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 100 })
      yield* submitAll(batcher, [1])
      yield* Queue.take(started)
      const doomed = yield* submitAll(batcher, [12, 13])
      yield* TestClock.adjust("1 second")
      yield* Queue.take(started)
      const after = yield* submitAll(batcher, [14])
      yield* TestClock.adjust("1 second")
      for (const fiber of doomed) {
        expect(yield* Effect.flip(F.join(fiber))).toEqual(new BatchFailed({ items: [12, 13] }))
      }
      yield* TestClock.adjust("1 second")
      expect(yield* F.join(after[0]!)).toBe(140)
    }))

  it.scoped("a batch answering the wrong number of results is a defect for each caller", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 100, miscount: true })
      const fibers = yield* submitAll(batcher, [1])
      yield* Queue.take(started)
      yield* TestClock.adjust("1 second")
      const exit = yield* F.await(fibers[0]!)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
    }))

  it.scoped("with concurrency 2, a second batch starts while the first is in flight", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 100, concurrency: 2 })
      const first = yield* submitAll(batcher, [1])
      expect(yield* Queue.take(started)).toEqual([1])
      const second = yield* submitAll(batcher, [2])
      expect(yield* Queue.take(started)).toEqual([2])
      yield* TestClock.adjust("1 second")
      expect(yield* Effect.forEach([...first, ...second], F.join)).toEqual([10, 20])
    }))

  it.scoped("offered items run in the batches of submitted ones without their callers waiting", () =>
    Effect.gen(function* () {
      const { batcher, started } = yield* slowBatcher({ maxBatch: 100 })
      yield* submitAll(batcher, [1])
      yield* Queue.take(started)
      yield* batcher.offer(2)
      yield* batcher.offer(13)
      const [waiting] = yield* submitAll(batcher, [4])
      yield* TestClock.adjust("1 second")
      expect(yield* Queue.take(started)).toEqual([2, 13, 4])
      // the batch holding 13 fails: only its waiting caller hears of it
      yield* TestClock.adjust("1 second")
      expect(yield* Effect.flip(F.join(waiting!))).toEqual(new BatchFailed({ items: [2, 13, 4] }))
      yield* batcher.offer(5)
      expect(yield* Queue.take(started)).toEqual([5])
    }))

  it.scoped("closing the batcher's scope interrupts the batch in flight and every caller still queued", () =>
    Effect.gen(function* () {
      const [inFlight, queued] = yield* Effect.scoped(Effect.gen(function* () {
        const { batcher, started } = yield* slowBatcher({ maxBatch: 100 })
        const [a] = yield* submitAll(batcher, [1])
        yield* Queue.take(started)
        const [b] = yield* submitAll(batcher, [2])
        return [a!, b!] as const
      }))
      expect(Exit.isInterrupted(yield* F.await(inFlight))).toBe(true)
      expect(Exit.isInterrupted(yield* F.await(queued))).toBe(true)
    }))
})
