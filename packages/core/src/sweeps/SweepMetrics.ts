/**
 * `berth_sweep_duration_seconds{loop}` (§5.1): how long each background pass takes. Every loop runs its pass through
 * `Leadership.runAsLeader(name, pass)` (§7), so timing the pass there covers every loop, present and future, without
 * touching the loops: `timedLeadership` decorates the Leadership the loops are given. Only the pass itself is timed,
 * never the wait for the lock.
 */
import { Effect, Layer, Metric, MetricBoundaries } from "effect"
import { Leadership } from "../ports/Leadership.js"

/** Seconds per pass, by loop name (its leadership lock name, e.g. `health_sweep`). */
export const sweepDuration = Metric.histogram(
  "berth_sweep_duration_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 16 }),
  "Duration of one background pass, by loop."
)

/** Runs `effect` and records its duration (success or failure) under `loop`. */
export const timed = <A, E, R>(loop: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const started = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    return yield* effect.pipe(Effect.ensuring(Effect.gen(function* () {
      const ended = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      yield* Metric.update(Metric.tagged(sweepDuration, "loop", loop), (ended - started) / 1000)
    })))
  })

/** Leadership whose passes are timed; provide it to the loops in place of the plain one. */
export const timedLeadership: Layer.Layer<Leadership, never, Leadership> = Layer.effect(
  Leadership,
  Effect.map(Leadership, (inner) =>
    Leadership.of({ runAsLeader: (name, effect) => inner.runAsLeader(name, timed(name, effect)) }))
)
