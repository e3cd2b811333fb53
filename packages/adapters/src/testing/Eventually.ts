/**
 * Bounded waiting for recovery (reliability tests): retry a check on a short spacing until it passes or a generous
 * bound runs out. The bound only stops a broken build from hanging; the assertion is that recovery happens, not how
 * fast.
 */
import type { Duration } from "effect"
import { Effect, Schedule } from "effect"

/** Runs `check` until it succeeds (every 100 ms); after `within` (default 30 s) fails saying `what` never happened. */
export const eventually = <A, E, R>(what: string, check: Effect.Effect<A, E, R>, within: Duration.DurationInput = "30 seconds") =>
  check.pipe(
    Effect.retry(Schedule.spaced("100 millis")),
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error(`${what}: not within ${String(within)}`) })
  )

/** Waits until `condition` holds (see `eventually`). */
export const until = <E, R>(what: string, condition: Effect.Effect<boolean, E, R>, within?: Duration.DurationInput) =>
  eventually(what, Effect.flatMap(condition, (ok) => (ok ? Effect.void : Effect.fail(new Error(`not yet: ${what}`)))), within)
