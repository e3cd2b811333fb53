import { CpStopRetry } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Data, Deferred, Effect, Exit, Fiber, Logger, Option, Ref, TestClock } from "effect"

class StopRefused extends Data.TaggedError("StopRefused")<{ readonly message: string }> {}

/**
 * A tiny scripted CP: each stop consumes the next answer ("ok" or a failure message) and the machine stops on the
 * first "ok". It plays what the real CP cannot do on demand; its state (answers left, machine running) is what the
 * tests read, not a log of calls.
 */
const scriptedCp = (script: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const answers = yield* Ref.make(script)
    const running = yield* Ref.make(true)
    const stop = Ref.modify(answers, (left) => [left[0], left.slice(1)] as const).pipe(
      Effect.flatMap((answer) =>
        answer === undefined
          ? Effect.die("script exhausted: the retry made more attempts than scripted")
          : answer === "ok"
          ? Ref.set(running, false)
          : Effect.fail(new StopRefused({ message: answer }))
      )
    )
    return {
      stop,
      answersLeft: Effect.map(Ref.get(answers), (left) => left.length),
      running: Ref.get(running)
    }
  })

/** Collects log lines (logs are otherwise silent under `it.effect`). */
const withLogLines = <A, E>(body: (lines: ReadonlyArray<string>) => Effect.Effect<A, E>) => {
  const lines: Array<string> = []
  const collector = Logger.make(({ message }) => {
    lines.push(Array.isArray(message) ? message.map(String).join(" ") : String(message))
  })
  return Effect.provide(body(lines), Logger.add(collector))
}

const id = "3f2b8c1e-0d4a-4e6b-9a51-7c2d9e8f1a00"
const opts = { id, source: "Restart" }

describe("cpStopPolicy", () => {
  it.effect("attempts at t = 0, 1 s, 3 s and never in between", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["503 one", "503 two", "ok"])
        const fiber = yield* Effect.fork(CpStopRetry.cpStopWithRetry(cp.stop, opts))
        yield* TestClock.adjust("999 millis")
        expect(yield* cp.answersLeft).toBe(2)
        yield* TestClock.adjust("1 millis") // t = 1 s
        expect(yield* cp.answersLeft).toBe(1)
        yield* TestClock.adjust("1999 millis")
        expect(yield* cp.answersLeft).toBe(1)
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust("1 millis") // t = 3 s
        expect(yield* cp.answersLeft).toBe(0)
        expect(yield* Fiber.join(fiber)).toEqual({ _tag: "Succeeded", attempt: 3 })
        expect(yield* cp.running).toBe(false)
        expect(lines).toEqual([`Restart: cpProv.Stop(${id}) succeeded on attempt 3`])
      })
    ))
})

describe("cpStopWithRetry", () => {
  it.effect("first-try success: no wait, no log", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["ok"])
        expect(yield* CpStopRetry.cpStopWithRetry(cp.stop, opts)).toEqual({ _tag: "Succeeded", attempt: 1 })
        expect(yield* cp.running).toBe(false)
        expect(lines).toEqual([])
      })
    ))

  it.effect("fails once then succeeds on the 2nd attempt at t = 1 s", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["503 once", "ok", "ok"])
        const fiber = yield* Effect.fork(CpStopRetry.cpStopWithRetry(cp.stop, { id, source: "Auto-restart" }))
        yield* TestClock.adjust("999 millis")
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        expect(yield* cp.running).toBe(true)
        yield* TestClock.adjust("1 millis")
        expect(yield* Fiber.join(fiber)).toEqual({ _tag: "Succeeded", attempt: 2 })
        expect(yield* cp.answersLeft).toBe(1) // no attempt after the success
        expect(lines).toEqual([`Auto-restart: cpProv.Stop(${id}) succeeded on attempt 2`])
      })
    ))

  it.effect("exhaustion: 3 attempts, LEAK-SUSPECT with the last error, no wait after the last attempt", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["503 one", "503 two", "cp provisioner: stop: \"quoted\" 503", "ok"])
        const fiber = yield* Effect.fork(CpStopRetry.cpStopWithRetry(cp.stop, opts))
        yield* TestClock.adjust("1 second")
        yield* TestClock.adjust("2 seconds")
        // t = 3 s: the third attempt failed and the outcome is already there, without any further clock move.
        const done = yield* Fiber.poll(fiber)
        expect(Option.isSome(done)).toBe(true)
        expect(Chunk.isEmpty(yield* TestClock.sleeps())).toBe(true) // nothing scheduled after the last attempt
        const outcome = yield* Fiber.join(fiber)
        expect(outcome._tag).toBe("Exhausted")
        if (outcome._tag !== "Exhausted") return
        expect(outcome.attempts).toBe(3)
        expect(outcome.lastError).toEqual(new StopRefused({ message: "cp provisioner: stop: \"quoted\" 503" }))
        expect(outcome.lastErrorMessage).toBe("cp provisioner: stop: \"quoted\" 503")
        expect(yield* cp.answersLeft).toBe(1)
        expect(yield* cp.running).toBe(true)
        expect(lines).toEqual([
          `LEAK-SUSPECT cpProv.Stop workspace_id=${id} source=Restart attempts=3 last_err="cp provisioner: stop: \\"quoted\\" 503"`
        ])
      })
    ))

  it.effect("interruption mid-wait returns Interrupted at once: no further attempt, no LEAK-SUSPECT", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["503 one", "ok"])
        const seen = yield* Deferred.make<CpStopRetry.CpStopOutcome<StopRefused>>()
        // The documented form for a caller that acts on the outcome: stop and its follow-up in one uninterruptible step.
        const fiber = yield* Effect.fork(
          Effect.uninterruptible(
            CpStopRetry.cpStopWithRetry(cp.stop, opts).pipe(Effect.tap((o) => Deferred.succeed(seen, o)))
          )
        )
        yield* TestClock.adjust("500 millis")
        yield* Fiber.interrupt(fiber) // returns only once the fiber is done: the wait did not run to its end
        const outcome = yield* Deferred.await(seen)
        expect(outcome).toEqual({
          _tag: "Interrupted",
          attempts: 1,
          lastError: Option.some(new StopRefused({ message: "503 one" }))
        })
        expect(yield* cp.answersLeft).toBe(1)
        expect(lines).toEqual([`Restart: cpProv.Stop(${id}) abandoned mid-retry: ctx cancelled (last_err=503 one)`])
      })
    ))

  it.effect("a plain caller interrupted mid-wait stops there: its next step never runs", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const cp = yield* scriptedCp(["503 one", "503 two", "ok"])
        const provisionedAgain = yield* Ref.make(false)
        const fiber = yield* Effect.fork(
          CpStopRetry.cpStopWithRetry(cp.stop, opts).pipe(Effect.zipRight(Ref.set(provisionedAgain, true)))
        )
        yield* TestClock.adjust("2 seconds") // second attempt failed at 1 s, now waiting for 3 s
        const exit = yield* Fiber.interrupt(fiber)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(yield* Ref.get(provisionedAgain)).toBe(false)
        expect(yield* cp.answersLeft).toBe(1)
        expect(lines).toEqual([`Restart: cpProv.Stop(${id}) abandoned mid-retry: ctx cancelled (last_err=503 two)`])
      })
    ))

  it.effect("a defect in stop is neither retried nor reported as a leak", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(CpStopRetry.cpStopWithRetry(Effect.die("boom"), opts))
        expect(Exit.isFailure(exit) && !Exit.isInterrupted(exit)).toBe(true)
        expect(lines).toEqual([])
      })
    ))
})
