/** Runs one load plan in a separate generator process (`LoadWorker.ts`) and returns its measurements. */
import { Effect } from "effect"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { CommandFailed } from "../lib/Shell.js"
import type { LoadResult, Plan } from "./LoadWorker.js"

export type { LoadResult, Plan } from "./LoadWorker.js"

const workerPath = fileURLToPath(new URL("./LoadWorker.ts", import.meta.url))

export const run = (plan: Plan) =>
  Effect.async<LoadResult, CommandFailed>((resume) => {
    const child = fork(workerPath, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
    let settled = false
    child.once("message", (message: { readonly ok: true; readonly result: LoadResult } | { readonly ok: false; readonly error: string }) => {
      settled = true
      resume(message.ok ? Effect.succeed(message.result) : Effect.fail(new CommandFailed({ command: "load generator", output: message.error })))
    })
    child.once("exit", (code) => {
      if (!settled) resume(Effect.fail(new CommandFailed({ command: "load generator", output: `exited with ${code} before answering` })))
    })
    child.send(plan)
    return Effect.sync(() => child.kill("SIGKILL"))
  })
