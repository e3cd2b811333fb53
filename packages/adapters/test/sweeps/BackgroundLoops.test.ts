import { BackgroundLoops, Leadership } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref, TestClock } from "effect"

/** The embedded-database leadership: the single process always leads. */
const alwaysLeader = Layer.succeed(Leadership, { runAsLeader: (_name, effect) => Effect.asVoid(effect) })
/** Another replica holds every lock: this replica waits forever and never runs a pass. */
const neverLeader = Layer.succeed(Leadership, { runAsLeader: () => Effect.never })

describe("BackgroundLoops", () => {
  it.effect("runs a pass once per period, and once at start when asked", () =>
    Effect.gen(function* () {
      const runs = yield* Ref.make(0)
      const spec = { name: "t", period: "15 seconds" as const, atStart: true, pass: Ref.update(runs, (n) => n + 1) }
      yield* Effect.scoped(Effect.gen(function* () {
        yield* Layer.build(BackgroundLoops.layer([spec]))
        yield* TestClock.adjust("1 millis")
        expect(yield* Ref.get(runs)).toBe(1)
        yield* TestClock.adjust("15 seconds")
        expect(yield* Ref.get(runs)).toBe(2)
        yield* TestClock.adjust("30 seconds")
        expect(yield* Ref.get(runs)).toBe(4)
      }))
    }).pipe(Effect.provide(alwaysLeader)))

  it.effect("a pass that dies is logged and the loop restarts after 1 s backoff", () =>
    Effect.gen(function* () {
      const runs = yield* Ref.make(0)
      // The first pass dies with a defect; later ones succeed.
      const pass = Effect.flatMap(Ref.getAndUpdate(runs, (n) => n + 1), (n) => (n === 0 ? Effect.die("boom") : Effect.void))
      yield* Effect.scoped(Effect.gen(function* () {
        yield* Layer.build(BackgroundLoops.layer([{ name: "t", period: "60 seconds", atStart: true, pass }]))
        yield* TestClock.adjust("1 millis")
        expect(yield* Ref.get(runs)).toBe(1)
        yield* TestClock.adjust("998 millis")
        expect(yield* Ref.get(runs)).toBe(1)
        yield* TestClock.adjust("1 millis")
        expect(yield* Ref.get(runs)).toBe(2) // restarted (atStart pass) 1 s after the defect
      }))
    }).pipe(Effect.provide(alwaysLeader)))

  it.effect("when Leadership denies, the pass does not run", () =>
    Effect.gen(function* () {
      const runs = yield* Ref.make(0)
      const spec = { name: "t", period: "15 seconds" as const, atStart: true, pass: Ref.update(runs, (n) => n + 1) }
      yield* Effect.scoped(Effect.gen(function* () {
        yield* Layer.build(BackgroundLoops.layer([spec]))
        yield* TestClock.adjust("5 minutes")
        expect(yield* Ref.get(runs)).toBe(0)
      }))
    }).pipe(Effect.provide(neverLeader)))
})
