/**
 * A server under test as a child process on a free loopback port: Berth itself (`BerthServer.ts`) and the baseline
 * servers (`bench/baselines/`) start the same way, are judged ready the same way (`GET /health` answers) and are
 * measured the same way (CPU time and RSS from `/proc`), so their figures compare. CPU and RSS cover the whole
 * process tree found at start (a `BERTH_WORKERS` primary and its workers count as one server).
 */
import { Effect, Schedule } from "effect"
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { mkdir, readdir, readFile } from "node:fs/promises"
import * as net from "node:net"
import { join } from "node:path"
import { CommandFailed } from "./Shell.js"

/** Scratch space of a bench run (git-ignored). */
export const workDir = join(process.cwd(), "bench", ".work")

export interface Server {
  readonly port: number
  readonly pid: number
  readonly url: string
  /** The log of the process (stdout and stderr). */
  readonly logPath: string
  /** Milliseconds from spawn until `GET /health` first answered 200 (polled every 50 ms). */
  readonly readyMs: number
  /** Processes the server consists of: its own and every descendant alive when it became ready. */
  readonly processes: number
  /** Resident set and peak so far, in MiB, summed over those processes (`/proc/<pid>/status`). */
  readonly memory: Effect.Effect<{ readonly rssMiB: number; readonly peakMiB: number }>
  /** CPU time used so far (user + system), in seconds, summed over those processes (`/proc/<pid>/stat`). */
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

/** The fields of `/proc/<pid>/stat` after the parenthesised command name (state is [0], ppid [1]). */
const statFields = (pid: number) =>
  readFile(`/proc/${pid}/stat`, "utf8").then((stat) => stat.slice(stat.lastIndexOf(")") + 2).split(" "), () => undefined)

/** `pid` and every process descended from it, found by scanning `/proc` for parent ids. */
export const processTree = (pid: number) =>
  Effect.promise(async () => {
    const entries = (await readdir("/proc")).filter((e) => /^\d+$/.test(e)).map(Number)
    const parents = new Map<number, number>()
    for (const entry of entries) {
      const fields = await statFields(entry)
      if (fields !== undefined) parents.set(entry, Number(fields[1]))
    }
    const tree = new Set([pid])
    // Parents can be listed after their children: repeat until nothing is added.
    for (let grown = true; grown;) {
      grown = false
      for (const [child, parent] of parents) {
        if (tree.has(parent) && !tree.has(child)) {
          tree.add(child)
          grown = true
        }
      }
    }
    return [...tree]
  })

const healthy = (url: string) =>
  Effect.tryPromise(() => fetch(`${url}/health`)).pipe(
    Effect.filterOrFail((response) => response.ok, () => new Error("not healthy yet"))
  )

export interface StartOptions {
  /** Node flags and the script with its arguments, e.g. `["--import", "tsx", "bench/baselines/BareHttp.ts"]`. */
  readonly argv: ReadonlyArray<string>
  /** On top of PATH and HOME; PORT is set by `start`. */
  readonly env: Readonly<Record<string, string>>
  /** After `/health` first answers, wait until the process tree has this many processes (at most 10 s). */
  readonly expectProcesses?: number
}

/** Starts `node argv…`, waits until `/health` answers; stops it (SIGTERM, then SIGKILL after 15 s) with the scope. */
export const start = (name: string, options: StartOptions) =>
  Effect.gen(function* () {
    const port = yield* freePort
    yield* Effect.promise(() => mkdir(workDir, { recursive: true }))
    const logPath = join(workDir, `${name}.log`)
    const log = openSync(logPath, "w")
    const spawnedAt = performance.now()
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const spawned = spawn(process.execPath, [...options.argv], {
          env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...options.env, PORT: String(port) },
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
      Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.upTo("90 seconds"))),
      Effect.catchAll(() =>
        Effect.flatMap(Effect.promise(() => readFile(logPath, "utf8").catch(() => "")), (text) =>
          Effect.fail(new CommandFailed({
            command: `${name} server`,
            output: `no /health within 90 s; the end of ${logPath}:\n${text.split("\n").slice(-20).join("\n")}`
          }))))
    )
    const readyMs = performance.now() - spawnedAt
    const pid = child.pid ?? 0
    const expected = options.expectProcesses ?? 1
    let pids = yield* processTree(pid)
    // Workers fork after the primary answers: give them a bounded while to appear.
    for (let waited = 0; pids.length < expected && waited < 10_000; waited += 200) {
      yield* Effect.sleep("200 millis")
      pids = yield* processTree(pid)
    }
    const memory = Effect.promise(async () => {
      const statuses = await Promise.all(pids.map((p) => readFile(`/proc/${p}/status`, "utf8").catch(() => "")))
      const sum = (field: string) => statuses.reduce((n, s) => n + (s === "" ? 0 : statusField(s, field)), 0)
      return { rssMiB: sum("VmRSS"), peakMiB: sum("VmHWM") }
    })
    const cpuSeconds = Effect.promise(async () => {
      // utime and stime are the 14th and 15th fields of the line: [11] and [12] after the command name.
      const all = await Promise.all(pids.map(statFields))
      return all.reduce((n, fields) => n + (fields === undefined ? 0 : Number(fields[11]) + Number(fields[12])), 0) / ticksPerSecond
    })
    return { port, pid, url, logPath, readyMs, processes: pids.length, memory, cpuSeconds } satisfies Server
  })

/** The server's RSS three seconds after it became ready (how the issue measures idle memory). */
export const settledMemory = (server: Server) => Effect.zipRight(Effect.sleep("3 seconds"), server.memory)
