/**
 * CP stop retry (contract §8.4): the only way restarts stop a CP machine. Three attempts, waits of 1 s then 2 s,
 * and three distinguishable outcomes, so a caller can record a leak suspect on exhaustion and never on shutdown.
 *
 * Interruption design. In Effect an interrupted fiber cannot hand a value to its own continuation, so the contract's
 * "return at once on ctx cancellation" is built as follows: the attempts and waits run in an explicitly
 * `interruptible` region whose `Exit` is read inside an `uninterruptible` one. Interruption anywhere in the loop
 * (mid-wait, or an attempt in flight) therefore yields the `Interrupted` outcome and the `abandoned mid-retry` log,
 * never `Exhausted` nor `LEAK-SUSPECT`. What happens next depends on the caller:
 * - a plain caller (`yield* cpStopWithRetry(...)`) is itself interrupted right after the value is produced: its next
 *   step never runs, so it cannot record a leak or provision again after shutdown;
 * - a caller that must act on the outcome atomically wraps "stop, then record if exhausted" in `Effect.uninterruptible`;
 *   the waits stay interruptible (forced here, so shutdown never waits for a retry), and the caller sees `Interrupted`.
 * The second form is also what keeps an exhaustion from being lost to a shutdown arriving between the last failed
 * attempt and the `cp_leak_suspects` insert.
 */
import { Cause, Effect, Exit, Option, Ref, Schedule } from "effect"

/** Contract §8.4: at most 3 attempts. */
export const cpStopAttempts = 3

/**
 * The CP stop policy: exponential waits from 1 s doubling, capped at 2 recurrences, so attempts happen at
 * t = 0, 1 s, 3 s and no wait follows the last attempt. Every failure is retried: the contract bounds attempts, not
 * error kinds, and a stop is idempotent on the CP side.
 */
export const cpStopPolicy = Schedule.exponential("1 second").pipe(
  Schedule.intersect(Schedule.recurs(cpStopAttempts - 1))
)

/** The stop worked on attempt `attempt` (1-based). */
export interface Succeeded {
  readonly _tag: "Succeeded"
  readonly attempt: number
}

/** All attempts failed: the caller records a `cp_leak_suspects` row (instance id, source, `lastErrorMessage`). */
export interface Exhausted<E> {
  readonly _tag: "Exhausted"
  readonly attempts: typeof cpStopAttempts
  readonly lastError: E
  readonly lastErrorMessage: string
}

/** Interrupted (shutdown, client gone) before an outcome: not a leak, nothing to record. */
export interface Interrupted<E> {
  readonly _tag: "Interrupted"
  /** Attempts started before the interruption (the one in flight included). */
  readonly attempts: number
  readonly lastError: Option.Option<E>
}

export type CpStopOutcome<E> = Succeeded | Exhausted<E> | Interrupted<E>

export interface CpStopOptions {
  /** Workspace id, for the log lines. */
  readonly id: string
  /** Who stops: `Restart`, `Auto-restart` (§8.4). */
  readonly source: string
}

/** Renders an error for the log lines and the leak record: its `message` when it has one. */
export const describeError = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return String(error)
}

/**
 * Runs `stop` under `cpStopPolicy` and reports the outcome (see the module doc for interruption). Never fails:
 * a failure becomes `Exhausted`; a defect in `stop` is not retried and propagates as a defect.
 * Logs: success on attempt N > 1, `abandoned mid-retry` on interruption, `LEAK-SUSPECT` on exhaustion.
 */
export const cpStopWithRetry = <E>(
  stop: Effect.Effect<void, E>,
  options: CpStopOptions
): Effect.Effect<CpStopOutcome<E>> =>
  Effect.gen(function* () {
    const { id, source } = options
    const started = yield* Ref.make(0)
    const lastError = yield* Ref.make(Option.none<E>())
    const attempt = Effect.zipLeft(
      Ref.updateAndGet(started, (n) => n + 1),
      Effect.tapError(stop, (e) => Ref.set(lastError, Option.some(e)))
    )
    // Forced interruptible even under an uninterruptible caller: shutdown never waits out a retry wait.
    const exit = yield* Effect.exit(Effect.interruptible(Effect.retry(attempt, cpStopPolicy)))
    if (Exit.isSuccess(exit)) {
      const n = exit.value
      if (n > 1) yield* Effect.logInfo(`${source}: cpProv.Stop(${id}) succeeded on attempt ${n}`)
      return { _tag: "Succeeded", attempt: n } satisfies Succeeded
    }
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) {
      const message = describeError(failure.value)
      yield* Effect.logError(
        `LEAK-SUSPECT cpProv.Stop workspace_id=${id} source=${source} attempts=${cpStopAttempts} last_err=${JSON.stringify(message)}`
      )
      return {
        _tag: "Exhausted",
        attempts: cpStopAttempts,
        lastError: failure.value,
        lastErrorMessage: message
      } satisfies Exhausted<E>
    }
    if (Cause.isInterruptedOnly(exit.cause)) {
      const last = yield* Ref.get(lastError)
      const rendered = Option.match(last, { onNone: () => "none", onSome: describeError })
      yield* Effect.logWarning(`${source}: cpProv.Stop(${id}) abandoned mid-retry: ctx cancelled (last_err=${rendered})`)
      return { _tag: "Interrupted", attempts: yield* Ref.get(started), lastError: last } satisfies Interrupted<E>
    }
    // A defect in `stop`: not a CP answer, so neither retried nor recorded; the caller's defect guard sees it.
    return yield* Effect.orDie(Effect.failCause(exit.cause))
  }).pipe(
    Effect.uninterruptible,
    Effect.annotateLogs({ workspace_id: options.id, source: options.source }),
    Effect.withSpan("cpStopWithRetry", { attributes: { workspace_id: options.id, source: options.source } })
  )
