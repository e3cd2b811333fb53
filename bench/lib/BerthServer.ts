/**
 * The server under test: `node packages/http/dist/main.js serve` as a child process (what `npm start` runs), on a
 * free loopback port, with a fresh environment per bench (`ChildServer.ts` starts and measures it). Its log goes to
 * `bench/.work/<name>.log`; with `profile` (or `BERTH_BENCH_PROFILE=1` for every server) it also writes a CPU
 * profile (`--cpu-prof`) to `bench/.work/profiles/<name>.cpuprofile` when it stops, and `BERTH_BENCH_NODE_FLAGS`
 * (e.g. `--trace-gc`) are passed to its `node`.
 */
import { Effect } from "effect"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import * as ChildServer from "./ChildServer.js"

export type BerthServer = ChildServer.Server

export const workDir = ChildServer.workDir
export const freePort = ChildServer.freePort

/** Where the profile of the server started as `name` with `profile` is written when it stops. */
export const profilePath = (name: string) => join(workDir, "profiles", `${name}.cpuprofile`)

export interface BerthOptions {
  /** Run under `node --cpu-prof` (also on for every server with `BERTH_BENCH_PROFILE=1`). */
  readonly profile?: boolean
  /** Processes to wait for after `/health` answers (a `BERTH_WORKERS=N` primary and its N workers: N + 1). */
  readonly expectProcesses?: number
}

/** Starts the server with `env` (on top of PATH and HOME), waits until `/health` answers; stops it with the scope. */
export const start = (name: string, env: Readonly<Record<string, string>>, options: BerthOptions = {}) =>
  Effect.gen(function* () {
    yield* Effect.promise(() => mkdir(join(workDir, "profiles"), { recursive: true }))
    const profile = options.profile === true || process.env["BERTH_BENCH_PROFILE"] === "1"
      ? ["--cpu-prof", `--cpu-prof-dir=${join(workDir, "profiles")}`, `--cpu-prof-name=${name}.cpuprofile`]
      : []
    const flags = (process.env["BERTH_BENCH_NODE_FLAGS"] ?? "").split(" ").filter((f) => f !== "")
    return yield* ChildServer.start(name, {
      argv: [...flags, ...profile, "packages/http/dist/main.js", "serve"],
      env: { BERTH_LOG_FORMAT: "json", ...env },
      ...(options.expectProcesses === undefined ? {} : { expectProcesses: options.expectProcesses })
    })
  })
