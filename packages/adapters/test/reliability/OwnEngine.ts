/**
 * A Docker engine of the test's own, so it can be stopped and started without disturbing the shared engine other
 * suites use: `dockerd` on a socket, data root and exec root in a temporary directory, with no bridge and no
 * iptables (containers run with network `none`). Stopping is SIGTERM to the process this module started, by its pid.
 */
import Docker from "dockerode"
import { Effect } from "effect"
import { spawn, spawnSync } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Testing } from "../../src/testing/index.js"

/** Whether a `dockerd` binary is here; locally a missing one skips (with a reason), under CI it fails. */
export const dockerdAvailable = (() => {
  if (!Testing.dockerTestsRequested()) return false
  const found = spawnSync("dockerd", ["--version"], { stdio: "ignore" }).status === 0
  if (found) return true
  const message = "dockerd not found (install docker.io)"
  if (Testing.required) throw new Error(`BERTH_REQUIRE_SERVICES=1 but ${message}`)
  console.warn(`[skip] ${message}: the Docker fault tests are skipped`)
  return false
})()

export interface OwnEngine {
  readonly socketPath: string
  readonly docker: Docker
  /** Stops the daemon (its containers stop with it) and waits until the process has exited. */
  readonly stop: Effect.Effect<void>
  /** Starts the daemon again on its data root (its containers and volumes come back) and waits until it answers. */
  readonly start: Effect.Effect<void>
  /** Starts it on a fresh, empty data root: an engine that lost its state (a reinstalled host). */
  readonly startWiped: Effect.Effect<void>
  /** Whether the daemon answers a ping now. */
  readonly answers: Effect.Effect<boolean>
}

const bounded = <A>(what: string, attempt: () => Promise<A | undefined>, ms = 60_000) =>
  Effect.promise(async () => {
    const until = Date.now() + ms
    while (Date.now() < until) {
      const done = await attempt().catch(() => undefined)
      if (done !== undefined) return done
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`${what}: not within ${ms / 1000} s`)
  })

/** Starts the engine in the current scope; at its end the daemon is stopped and its directory removed. */
export const make = Effect.acquireRelease(
  Effect.gen(function* () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-dockerd-"))
    const socketPath = path.join(dir, "docker.sock")
    const docker = new Docker({ socketPath })
    const log = fs.openSync(path.join(dir, "dockerd.log"), "a")
    let generation = 0
    let daemon: ChildProcess | undefined

    const answers = Effect.promise(() => docker.ping().then(() => true, () => false))

    const startOn = (dataRoot: string) =>
      Effect.gen(function* () {
        daemon = spawn("dockerd", [
          "--host", `unix://${socketPath}`,
          "--data-root", dataRoot,
          "--exec-root", path.join(dir, "exec"),
          "--pidfile", path.join(dir, "docker.pid"),
          "--bridge=none", "--iptables=false", "--ip-forward=false"
        ], { stdio: ["ignore", log, log] })
        yield* bounded("own dockerd answering", () => docker.ping().then(() => true))
      })

    const stop = Effect.gen(function* () {
      const running = daemon
      if (running === undefined || running.exitCode !== null) return
      const exited = new Promise<true>((resolve) => running.once("exit", () => resolve(true)))
      running.kill("SIGTERM")
      const look = () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 500))
      yield* bounded("own dockerd stopping", () => Promise.race([exited, look()]))
      daemon = undefined
    })

    const engine: OwnEngine = {
      socketPath,
      docker,
      stop,
      start: Effect.suspend(() => startOn(path.join(dir, `data-${generation}`))),
      startWiped: Effect.suspend(() => startOn(path.join(dir, `data-${++generation}`))),
      answers
    }
    yield* engine.start
    return { engine, dir, log }
  }),
  ({ dir, engine, log }) =>
    Effect.gen(function* () {
      yield* engine.stop
      fs.closeSync(log)
      fs.rmSync(dir, { recursive: true, force: true })
    }).pipe(Effect.orDie)
)
