/**
 * Supervision and leadership for the background loops (contract §7). Each loop runs its pass once per period under
 * the `Leadership` port (so only one replica runs it); a failure or defect is logged and the loop restarts after a
 * backoff of 1 s doubling to 60 s.
 */
import { Cause, Duration, Effect, Layer, Schedule } from "effect"
import { Leadership } from "./ports/Leadership.js"

/** Restart backoff of a failed loop: 1 s, 2 s, 4 s, … capped at 60 s (`union` takes the shorter delay). */
export const restartBackoff: Schedule.Schedule<unknown, unknown> = Schedule.exponential(Duration.seconds(1), 2).pipe(
  Schedule.union(Schedule.spaced(Duration.seconds(60)))
)

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
    const pass = leadership.runAsLeader(spec.name, spec.pass)
    const tick = Effect.zipRight(Effect.sleep(spec.period), pass)
    const body = spec.atStart ? Effect.zipRight(pass, Effect.forever(tick)) : Effect.forever(tick)
    return yield* body.pipe(
      // Defects are supervised like failures: the sandboxed cause becomes the error the retry sees.
      Effect.sandbox,
      Effect.tapError((cause) => Effect.logError(`${spec.name}: loop failed, restarting`, Cause.pretty(cause))),
      Effect.retry(restartBackoff),
      // `retry` with an unbounded schedule never gives up, so this branch is unreachable in practice.
      Effect.catchAll(() => Effect.never)
    )
  })

/** Forks every loop into the layer's scope: the loops stop when the layer is released. */
export const layer = <R>(loops: ReadonlyArray<LoopSpec<R>>): Layer.Layer<never, never, R | Leadership> =>
  Layer.scopedDiscard(Effect.forEach(loops, (spec) => Effect.forkScoped(supervised(spec)), { discard: true }))
