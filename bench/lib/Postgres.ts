/**
 * The Postgres server the benches use (`.ci/services up`: 127.0.0.1:5432, postgres/postgres): fresh databases that
 * are dropped when their scope closes, one-off SQL, and pgbench as the baseline.
 */
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { join } from "node:path"
import pg from "pg"
import type { LatencySummary } from "../load/Stats.js"
import { Samples, summarize } from "../load/Stats.js"
import { CommandFailed, output } from "./Shell.js"

/** `BERTH_BENCH_DATABASE_URL`, default the CI server's admin database. */
export const adminUrl = process.env["BERTH_BENCH_DATABASE_URL"] ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres"

const urlOf = (database: string) => {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs SQL on a database (one connection, closed afterwards) and returns the rows of the last statement. */
export const query = <Row = Record<string, unknown>>(url: string, text: string, params: ReadonlyArray<unknown> = []) =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: async () => {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        return client
      },
      catch: (cause) => new CommandFailed({ command: `connect ${url.replace(/:[^:@/]*@/, ":***@")}`, output: String(cause) })
    }),
    (client) =>
      Effect.tryPromise({
        try: async () => {
          const result = await client.query(text, [...params])
          const last = Array.isArray(result) ? result[result.length - 1] : result
          return (last?.rows ?? []) as ReadonlyArray<Row>
        },
        catch: (cause) => new CommandFailed({ command: text.slice(0, 200), output: String(cause) })
      }),
    (client) => Effect.promise(() => client.end())
  )

/** A new empty database whose URL is returned; dropped (connections terminated) when the scope closes. */
export const freshDatabase = (prefix: string) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const name = `${prefix}_${randomBytes(4).toString("hex")}`
      yield* query(adminUrl, `CREATE DATABASE ${name}`)
      return { name, url: urlOf(name) }
    }),
    ({ name }) => Effect.orElse(query(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), () => Effect.void)
  )

/** `SHOW server_version`. */
export const serverVersion = Effect.map(query<{ server_version: string }>(adminUrl, "SHOW server_version"), (rows) =>
  rows[0]?.server_version ?? "unknown")

export interface PgbenchResult {
  readonly tps: number
  readonly transactions: number
  /** From pgbench's per-transaction log (`--log`), in milliseconds. */
  readonly latency: LatencySummary
}

/** Per-transaction latencies of pgbench log files (`client txno time_us script epoch epoch_us`). */
const readLatencies = (dir: string) =>
  Effect.promise(async () => {
    const samples = new Samples()
    for (const file of await readdir(dir)) {
      for (const line of (await readFile(join(dir, file), "utf8")).split("\n")) {
        const fields = line.split(" ")
        if (fields.length >= 3) samples.push(Number(fields[2]) / 1000)
      }
    }
    return summarize(samples.values())
  })

/**
 * `pgbench` with a custom script for `seconds`, `clients` connections over two threads, no vacuum, against `url`;
 * `asyncCommit` runs its sessions with `synchronous_commit=off`. TPS is pgbench's own "tps (without initial
 * connection time)"; latencies come from its per-transaction log.
 */
export const pgbench = (url: string, scriptPath: string, clients: number, seconds: number, options: { readonly asyncCommit?: boolean } = {}) =>
  Effect.acquireUseRelease(
    Effect.promise(() => mkdtemp("/tmp/berth-pgbench-")),
    (dir) =>
      Effect.gen(function* () {
        const stdout = yield* output("pgbench", [
          "-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", scriptPath,
          "--log", `--log-prefix=${join(dir, "tx")}`, url
        ], options.asyncCommit === true ? { env: { ...process.env, PGOPTIONS: "-c synchronous_commit=off" } } : {})
        const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)
        const transactions = /number of transactions actually processed: (\d+)/.exec(stdout)
        if (tps === null || transactions === null) return yield* Effect.fail(new CommandFailed({ command: "pgbench", output: stdout }))
        return { tps: Number(tps[1]), transactions: Number(transactions[1]), latency: yield* readLatencies(dir) } satisfies PgbenchResult
      }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
