/**
 * Commands in a running container through exec; `ExecRead` (contract §8.2) is `cat` of the file.
 *
 * The exec's output arrives multiplexed (8-byte frame headers: stream type, size); after the stream ends the engine
 * may still report `ExitCode: null` for a moment, so the exit code is polled briefly before it is trusted.
 */
import type Docker from "dockerode"
import { Effect, Schedule } from "effect"
import { buffer } from "node:stream/consumers"
import { call, CommandFailed, type DockerError } from "./DockerError.js"

/** Splits Docker's multiplexed stream (type 1 stdout, 2 stderr) into its two texts; a truncated frame is dropped. */
export const demux = (raw: Buffer): { readonly stdout: string; readonly stderr: string } => {
  const out: Array<Buffer> = []
  const err: Array<Buffer> = []
  let offset = 0
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4)
    if (offset + 8 + size > raw.length) break
    ;(raw[offset] === 2 ? err : out).push(raw.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }
}

/** Up to one second for the engine to record the exit code of an exec whose stream has ended; yields the last answer. */
const exitCodePolling = Schedule.identity<Docker.ExecInspectInfo>().pipe(
  Schedule.zipLeft(Schedule.spaced("50 millis")),
  Schedule.zipLeft(Schedule.recurs(20))
)

/** Runs `cmd` in the running container `name`; its standard output, or `CommandFailed` on a non-zero exit. */
export const run = (
  docker: Docker,
  name: string,
  cmd: ReadonlyArray<string>
): Effect.Effect<string, DockerError | CommandFailed> =>
  Effect.gen(function* () {
    const operation = `exec ${cmd.join(" ")} in ${name}`
    const exec = yield* call(operation, (signal) =>
      docker.getContainer(name).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, abortSignal: signal })
    )
    const output = yield* call(operation, async (signal) =>
      demux(await buffer(await exec.start({ hijack: true, stdin: false, abortSignal: signal })))
    )
    const inspected = yield* call(operation, (signal) => exec.inspect({ abortSignal: signal })).pipe(
      Effect.repeat({ schedule: exitCodePolling, until: (info) => info.ExitCode !== null })
    )
    if (inspected.ExitCode === 0) return output.stdout
    return yield* new CommandFailed({ operation, exitCode: inspected.ExitCode, message: output.stderr.trim() })
  })

/** The contents of `filePath` in the running container `name` (`cat` through exec). */
export const readFile = (docker: Docker, name: string, filePath: string): Effect.Effect<string, DockerError | CommandFailed> =>
  run(docker, name, ["cat", filePath])
