/**
 * Issue 10: a background loop outlives any number of database blips. Its restart backoff (1 s doubling to 60 s, §7)
 * is for consecutive failures: once a pass succeeds, the next failure restarts the loop after 1 s again, not after the
 * backoff reached during some earlier outage. The pass is scripted (an outage is a flag), time is the test clock.
 */
import { BackgroundLoops, Leadership } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Ref, TestClock } from "effect"

const alwaysLeader = Layer.succeed(Leadership, { runAsLeader: (_name, effect) => Effect.asVoid(effect) })

describe("background loop backoff across outages", () => {
  it.effect("after a long outage and a recovery, a new failure restarts the loop after 1 s, not after 60 s", () =>
    Effect.gen(function* () {
      const down = yield* Ref.make(true)
      const succeeded = yield* Ref.make(0)
      const pass = Effect.flatMap(Ref.get(down), (isDown) =>
        isDown ? Effect.fail("datastore unavailable") : Ref.update(succeeded, (n) => n + 1))
      yield* Effect.scoped(Effect.gen(function* () {
        yield* Layer.build(BackgroundLoops.layer([{ name: "sweep", period: "15 seconds", atStart: false, pass }]))
        // A ten-minute outage: the pass fails over and over, the backoff grows to its cap.
        yield* TestClock.adjust(Duration.minutes(10))
        expect(yield* Ref.get(succeeded)).toBe(0)
        // The database is back: within one capped backoff and a period the loop runs again, then every 15 s.
        yield* Ref.set(down, false)
        yield* TestClock.adjust(Duration.seconds(75))
        const recovered = yield* Ref.get(succeeded)
        expect(recovered).toBeGreaterThan(0)
        yield* TestClock.adjust(Duration.minutes(5))
        expect(yield* Ref.get(succeeded)).toBe(recovered + 20)
        // One more blip, long after: the loop restarts 1 s later and passes a period after that — not 60 s later.
        yield* Ref.set(down, true)
        yield* TestClock.adjust(Duration.seconds(15))
        yield* Ref.set(down, false)
        const beforeRestart = yield* Ref.get(succeeded)
        yield* TestClock.adjust(Duration.seconds(1 + 15))
        expect(yield* Ref.get(succeeded)).toBe(beforeRestart + 1)
      }))
    }).pipe(Effect.provide(alwaysLeader)))
})
