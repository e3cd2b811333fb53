/** External commands the benches run (pgbench, git, docker, tsc), as Effects that fail with the command's output. */
import { execFile, spawn } from "node:child_process"
import { Data, Effect } from "effect"

export class CommandFailed extends Data.TaggedError("CommandFailed")<{
  readonly command: string
  readonly output: string
}> {}

/** Runs `file args…` to completion and returns its stdout; a non-zero exit fails with stdout and stderr. */
export const output = (file: string, args: ReadonlyArray<string>, options: { readonly env?: NodeJS.ProcessEnv } = {}) =>
  Effect.async<string, CommandFailed>((resume) => {
    const child = execFile(file, [...args], { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resume(Effect.succeed(stdout))
      else resume(Effect.fail(new CommandFailed({ command: [file, ...args].join(" "), output: `${stdout}\n${stderr}`.trim() })))
    })
    return Effect.sync(() => child.kill("SIGTERM"))
  })

/** Like `output`, but a failure becomes the given fallback (for optional facts such as a Docker version). */
export const outputOr = (file: string, args: ReadonlyArray<string>, fallback: string) =>
  Effect.orElseSucceed(Effect.map(output(file, args), (s) => s.trim()), () => fallback)

/** Runs a command with the terminal attached (the build step), failing on a non-zero exit. */
export const inherit = (file: string, args: ReadonlyArray<string>) =>
  Effect.async<void, CommandFailed>((resume) => {
    const child = spawn(file, [...args], { stdio: "inherit" })
    child.once("exit", (code) =>
      resume(code === 0 ? Effect.void : Effect.fail(new CommandFailed({ command: [file, ...args].join(" "), output: `exit ${code}` }))))
    return Effect.sync(() => child.kill("SIGTERM"))
  })
