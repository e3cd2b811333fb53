/**
 * Issue 17 points 3–4: every failure to start names its setting (and the fix) in one log line, in both log formats,
 * and the process exits non-zero within 10 s. Runs the built command (`npx tsc -b` first) as an operator would.
 */
import { Testing } from "@berth/adapters/testing"
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import * as net from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const EXIT_BOUND_MS = 10_000

interface Ended {
  readonly code: number | null
  readonly output: string
}

/**
 * `berth serve` with only `env` (plus PATH): its exit code and output, or a failure when it outlives the bound.
 * With `interruptOn`, SIGINT is sent as soon as the output contains that text.
 */
const serve = (env: Readonly<Record<string, string>>, interruptOn?: string): Promise<Ended> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, "serve"], {
      // Loopback only; no engine is asked for, so none is touched.
      env: { PATH: process.env["PATH"] ?? "", DOCKER_HOST: "unix:///nonexistent/docker.sock", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      if (interruptOn !== undefined && output.includes(interruptOn)) child.kill("SIGINT")
    })
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
    const bound = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`berth serve still running after ${EXIT_BOUND_MS} ms:\n${output}`))
    }, EXIT_BOUND_MS)
    child.on("exit", (code) => {
      clearTimeout(bound)
      resolve({ code, output })
    })
  })

/** The ERROR lines' messages: JSON lines' `message` (a string, not `[]`), pretty lines' text after the level. */
const errorMessages = (format: "json" | "pretty", output: string): ReadonlyArray<string> =>
  output.split("\n").flatMap((line) => {
    if (format === "pretty") return line.includes("ERROR") ? [line] : []
    if (!line.startsWith("{")) return []
    const entry = JSON.parse(line) as { readonly logLevel?: unknown; readonly message?: unknown }
    if (entry.logLevel !== "ERROR") return []
    expect(typeof entry.message).toBe("string")
    return [String(entry.message)]
  })

/** A port nothing listens on (bound, then released). */
const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** A port held by another listener for the duration of `use`. */
const withBusyPort = async <A>(use: (port: number) => Promise<A>): Promise<A> => {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  try {
    return await use((server.address() as net.AddressInfo).port)
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

const withTempDir = async <A>(use: (dir: string) => Promise<A>): Promise<A> => {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-startup-"))
  try {
    return await use(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The case's start-up fails: non-zero exit, one ERROR line naming `setting` and starting `cannot start:`. */
const expectRefusal = async (format: "json" | "pretty", setting: string, env: Readonly<Record<string, string>>) => {
  const ended = await serve({ BERTH_LOG_FORMAT: format, ...env })
  expect(ended.code, ended.output).not.toBe(0)
  const errors = errorMessages(format, ended.output)
  expect(errors, ended.output).toHaveLength(1)
  expect(errors[0]).toContain(`cannot start: ${setting} `)
}

/** Postgres is reached only when asked (`BERTH_TEST_SERVICES=1`); otherwise say so, or throw where skips are refused. */
const postgresAsked = Testing.postgresRequested || (() => {
  const reason = "Postgres tests not requested (set BERTH_TEST_SERVICES=1 or BERTH_TEST_DATABASE_URL)"
  if (Testing.required) throw new Error(`BERTH_REQUIRE_SERVICES=1 but ${reason}`)
  console.warn(`[skip] ${reason}: the missing-database case is skipped`)
  return false
})()

/** The built command is what an operator runs; without it (no `npx tsc -b` yet) say so, or throw where skips are refused. */
const built = existsSync(main) || (() => {
  const reason = `${main} is missing (run \`npx tsc -b\` first)`
  if (Testing.required) throw new Error(`BERTH_REQUIRE_SERVICES=1 but ${reason}`)
  console.warn(`[skip] ${reason}: the start-up tests are skipped`)
  return false
})()

describe.skipIf(!built)("start-up errors (the built command)", () => {
  for (const format of ["json", "pretty"] as const) {
    describe(format, () => {
      it("PORT already in use", () =>
        withTempDir((dir) =>
          withBusyPort((port) => expectRefusal(format, "PORT", { PORT: String(port), BERTH_DATA_DIR: path.join(dir, "data") }))))

      it("DATABASE_URL that is not a Postgres URL", () => expectRefusal(format, "DATABASE_URL", { DATABASE_URL: "base" }))

      it("DATABASE_URL of an unreachable Postgres", async () => {
        const port = await closedPort()
        await expectRefusal(format, "DATABASE_URL", { DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/berth` })
      })

      it.skipIf(!postgresAsked)("DATABASE_URL naming a database that does not exist (BERTH_TEST_SERVICES=1)", () => {
        const url = new URL(Testing.postgresAdminUrl)
        url.pathname = `/berth_missing_${process.pid}_${Date.now()}`
        return expectRefusal(format, "DATABASE_URL", { DATABASE_URL: url.toString() })
      })

      it("BERTH_DATA_DIR that is a file", () =>
        withTempDir((dir) => {
          const file = path.join(dir, "not-a-folder")
          writeFileSync(file, "")
          return expectRefusal(format, "BERTH_DATA_DIR", { BERTH_DATA_DIR: path.join(file, "data") })
        }))

      it.skipIf(process.platform !== "linux")("BERTH_DATA_DIR under /proc (used to hang start-up)", () =>
        expectRefusal(format, "BERTH_DATA_DIR", { BERTH_DATA_DIR: "/proc/berth-data" }))
    })
  }
})

describe.skipIf(!built)("start-up interrupted", () => {
  it("the first SIGINT during start-up (PGlite creating its data folder) stops the process", () =>
    withTempDir(async (dir) => {
      // The encryption-key warning is logged just before the embedded database opens.
      const env = { BERTH_LOG_FORMAT: "json", PORT: String(await closedPort()), BERTH_DATA_DIR: path.join(dir, "data") }
      const ended = await serve(env, "SECRETS_ENCRYPTION_KEY")
      expect(ended.output).toContain("SECRETS_ENCRYPTION_KEY")
      expect(ended.output).not.toContain("cannot start")
    }))
})
