/**
 * The external programs the remote terminal probe runs (`ssh-keygen`, `aws`, `ssh`), through @effect/platform's
 * `Command`: a program run to its end with its combined output, or one kept running in the caller's scope (the
 * tunnel) with its stderr collected. A program that cannot be started fails with a message naming it.
 */
import type { CommandExecutor } from "@effect/platform"
import { Command } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import type { Scope } from "effect"
import { Data, Effect, Fiber, Ref, Stream } from "effect"

/** A stage could not do its work: `error` and `detail` go into its diagnose step. */
export class StageFailed extends Data.TaggedError("StageFailed")<{
  readonly error: string
  readonly detail?: string
}> {}

/** Names a program in "not found" errors: `label` is how operators know it (`aws CLI`), `path` what was run. */
export interface Program {
  readonly label: string
  readonly path: string
}

/** Go's `exec.ExitError` wording, which operators already grep for. */
export const exitStatus = (code: number): string => `exit status ${code}`

const notStarted = (program: Program, error: PlatformError) =>
  new StageFailed({
    error: error._tag === "SystemError" && error.reason === "NotFound"
      ? `${program.label} not found: ${program.path}`
      : `${program.label} could not be started: ${error.message}`
  })


/** The program's exit code and its stdout and stderr interleaved as they arrived (like Go's `CombinedOutput`). */
export interface Finished {
  readonly exitCode: number
  readonly output: string
}

/** Runs `program args…` to its end; interruption kills it. */
export const runToEnd = (
  program: Program,
  args: ReadonlyArray<string>
): Effect.Effect<Finished, StageFailed, CommandExecutor.CommandExecutor> =>
  Effect.scoped(
    Effect.gen(function* () {
      const process = yield* Command.start(Command.make(program.path, ...args)).pipe(
        Effect.mapError((e) => notStarted(program, e))
      )
      const [output, exitCode] = yield* Effect.all(
        [
          // Each stream decoded on its own, so a character split across chunks is never mixed with the other stream.
          Stream.merge(Stream.decodeText(process.stdout), Stream.decodeText(process.stderr)).pipe(
            Stream.runFold("", (all, text) => all + text)
          ),
          process.exitCode
        ],
        { concurrency: 2 }
      ).pipe(Effect.mapError((e) => new StageFailed({ error: `${program.label}: ${e.message}` })))
      return { exitCode, output: output.trim() }
    })
  )

/** A program kept running until the scope ends (then killed), with what it has written to stderr so far. */
export interface Background {
  readonly stderr: Effect.Effect<string>
  /**
   * Completes when the program has exited and its stderr is read to the end (Node reports the exit before the pipe
   * is drained), with its exit code (-1 when a signal ended it).
   */
  readonly exited: Effect.Effect<number>
}

/** Starts `program args…` in the caller's scope; its stdout is drained so it never blocks on a full pipe. */
export const startInBackground = (
  program: Program,
  args: ReadonlyArray<string>
): Effect.Effect<Background, StageFailed, CommandExecutor.CommandExecutor | Scope.Scope> =>
  Effect.gen(function* () {
    const process = yield* Command.start(Command.make(program.path, ...args)).pipe(
      Effect.mapError((e) => notStarted(program, e))
    )
    const stderr = yield* Ref.make("")
    const collector = yield* Effect.forkScoped(
      process.stderr.pipe(Stream.decodeText(), Stream.runForEach((text) => Ref.update(stderr, (all) => all + text)))
    )
    yield* Effect.forkScoped(Stream.runDrain(process.stdout))
    return {
      stderr: Ref.get(stderr),
      exited: Effect.orElseSucceed(process.exitCode, () => -1).pipe(Effect.zipLeft(Fiber.await(collector)))
    }
  })
