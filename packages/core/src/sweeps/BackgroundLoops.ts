/**
 * Supervision and leadership for the background loops (contract §7). Each loop runs its pass once per period under
 * the `Leadership` port (so only one replica runs it); a failure or defect is logged and the loop restarts after a
 * backoff of 1 s doubling to 60 s over consecutive failures.
 */
import { Cause, Duration, Effect, Layer, Ref } from "effect"
import { Leadership } from "../ports/Leadership.js"

/**
 * Restart delay of a failed loop after `failures` consecutive failures (1 or more): 1 s, 2 s, 4 s, … capped at 60 s.
 * A successful pass resets the count, so an outage long ago does not slow the recovery from the next one.
 */
export const restartDelay = (failures: number): Duration.Duration =>
  Duration.min(Duration.seconds(2 ** Math.max(0, failures - 1)), Duration.seconds(60))

/** One background loop: its leadership lock name, its period and its pass. */
export interface LoopSpec<R> {
  readonly name: string
  readonly period: Duration.DurationInput
  /** Run one pass right away at start (orphan sweepers) instead of after the first period. */
  readonly atStart: boolean
  readonly pass: Effect.Effect<void, unknown, R>
}

/** The loop forever: passes spaced by `period`, each under leadership, restarted with backoff on failure or defect. */
export const supervised = <R>(spec: LoopSpec<R>): Effect.Effect<never, never, R | Leadership> =>
  Effect.gen(function* () {
    const leadership = yield* Leadership
    const failures = yield* Ref.make(0)
    const pass = Effect.zipRight(leadership.runAsLeader(spec.name, spec.pass), Ref.set(failures, 0))
    const tick = Effect.zipRight(Effect.sleep(spec.period), pass)
    const body: Effect.Effect<never, unknown, R> = spec.atStart ? Effect.zipRight(pass, Effect.forever(tick)) : Effect.forever(tick)
    // Defects are supervised like failures: the cause is logged, then the loop starts again after a delay.
    const restart = (cause: Cause.Cause<unknown>) =>
      Effect.gen(function* () {
        yield* Effect.logError(`${spec.name}: loop failed, restarting`, Cause.pretty(cause))
        yield* Effect.sleep(restartDelay(yield* Ref.updateAndGet(failures, (n) => n + 1)))
      })
    return yield* Effect.forever(
      Effect.catchAllCause(body, (cause) => (Cause.isInterruptedOnly(cause) ? Effect.interrupt : restart(cause)))
    )
  })

/** Forks every loop into the layer's scope: the loops stop when the layer is released. */
export const layer = <R>(loops: ReadonlyArray<LoopSpec<R>>): Layer.Layer<never, never, R | Leadership> =>
  Layer.scopedDiscard(Effect.forEach(loops, (spec) => Effect.forkScoped(supervised(spec)), { discard: true }))
