/** What a report says about where it ran: machine and versions, read in the same run as the figures. */
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import * as os from "node:os"
import { serverVersion } from "./Postgres.js"
import { outputOr } from "./Shell.js"

export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  readonly postgres: string
  readonly docker: string
  readonly berth: string
  /** 1-minute load average when the run started: on a shared machine, how much else was running. */
  readonly loadAverage: number
}

const osName = Effect.promise(async () => {
  const release = await readFile("/etc/os-release", "utf8").catch(() => "")
  const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1]
  return `${pretty ?? os.type()} (kernel ${os.release()}, ${os.arch()})`
})

export const describe = Effect.gen(function* () {
  const sha = yield* outputOr("git", ["rev-parse", "--short=12", "HEAD"], "unknown")
  const dirty = (yield* outputOr("git", ["status", "--porcelain", "--untracked-files=no"], "")) !== ""
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: yield* osName,
    node: process.version,
    postgres: yield* Effect.orElseSucceed(serverVersion, () => "unavailable"),
    docker: yield* outputOr("docker", ["version", "--format", "{{.Server.Version}}"], "unavailable"),
    berth: dirty ? `${sha} (with uncommitted changes)` : sha,
    loadAverage: os.loadavg()[0] ?? NaN
  } satisfies Machine
})
