/**
 * The server under test: `node packages/http/dist/main.js serve` as a child process (what `npm start` runs), on a
 * free loopback port, with a fresh environment per bench. Its log goes to `bench/.work/<name>.log`; with
 * `BERTH_BENCH_PROFILE=1` it also writes a CPU profile (`--cpu-prof`) to `bench/.work/profiles/` when it stops, and
 * `BERTH_BENCH_NODE_FLAGS` (e.g. `--trace-gc`) are passed to its `node`.
 */
import { Effect, Schedule } from "effect"
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { mkdir, readFile } from "node:fs/promises"
import * as net from "node:net"
import { join } from "node:path"
import { CommandFailed } from "./Shell.js"

/** Scratch space of a bench run (git-ignored). */
export const workDir = join(process.cwd(), "bench", ".work")

export interface BerthServer {
  readonly port: number
  readonly pid: number
  readonly url: string
  /** The process's resident set and its peak so far, in MiB, from `/proc/<pid>/status`. */
  readonly memory: Effect.Effect<{ readonly rssMiB: number; readonly peakMiB: number }>
  /** CPU time the process used so far (user + system), in seconds, from `/proc/<pid>/stat`. */
  readonly cpuSeconds: Effect.Effect<number>
}

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`: 100 on Linux). */
const ticksPerSecond = 100

/** A port nothing listens on right now (the kernel's choice for port 0). */
export const freePort = Effect.async<number>((resume) => {
  const probe = net.createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(port)))
  })
})

const statusField = (status: string, field: string) => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)
  return match === null ? NaN : Number(match[1]) / 1024
}

const healthy = (url: string) =>
  Effect.tryPromise(() => fetch(`${url}/health`)).pipe(
    Effect.filterOrFail((response) => response.ok, () => new Error("not healthy yet"))
  )

/** Starts the server with `env` (on top of PATH and HOME), waits until `/health` answers; stops it with the scope. */
export const start = (name: string, env: Readonly<Record<string, string>>) =>
  Effect.gen(function* () {
    const port = yield* freePort
    yield* Effect.promise(() => mkdir(join(workDir, "profiles"), { recursive: true }))
    const logPath = join(workDir, `${name}.log`)
    const log = openSync(logPath, "w")
    const profile = process.env["BERTH_BENCH_PROFILE"] === "1"
      ? ["--cpu-prof", `--cpu-prof-dir=${join(workDir, "profiles")}`, `--cpu-prof-name=${name}.cpuprofile`]
      : []
    const flags = (process.env["BERTH_BENCH_NODE_FLAGS"] ?? "").split(" ").filter((f) => f !== "")
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const spawned = spawn(process.execPath, [...flags, ...profile, "packages/http/dist/main.js", "serve"], {
          env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", BERTH_LOG_FORMAT: "json", ...env, PORT: String(port) },
          stdio: ["ignore", log, log]
        })
        closeSync(log) // the child holds its own copy
        return spawned
      }),
      (child) =>
        Effect.async<void>((resume) => {
          if (child.exitCode !== null) return resume(Effect.void)
          const kill = setTimeout(() => child.kill("SIGKILL"), 15_000)
          child.once("exit", () => {
            clearTimeout(kill)
            resume(Effect.void)
          })
          child.kill("SIGTERM")
        })
    )
    const url = `http://127.0.0.1:${port}`
    yield* healthy(url).pipe(
      Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("90 seconds"))),
      Effect.catchAll(() =>
        Effect.flatMap(Effect.promise(() => readFile(logPath, "utf8").catch(() => "")), (text) =>
          Effect.fail(new CommandFailed({
            command: `berth serve (${name})`,
            output: `no /health within 90 s; the end of ${logPath}:\n${text.split("\n").slice(-20).join("\n")}`
          }))))
    )
    const pid = child.pid ?? 0
    const memory = Effect.promise(async () => {
      const status = await readFile(`/proc/${pid}/status`, "utf8")
      return { rssMiB: statusField(status, "VmRSS"), peakMiB: statusField(status, "VmHWM") }
    })
    const cpuSeconds = Effect.promise(async () => {
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields of the line.
      const stat = await readFile(`/proc/${pid}/stat`, "utf8")
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
    })
    return { port, pid, url, memory, cpuSeconds } satisfies BerthServer
  })
