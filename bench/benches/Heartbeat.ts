/**
 * Heartbeat throughput and latency (issue 9, items 2, 7 and 8). Per size: registered external workspaces on a fresh
 * Postgres database, `clients` concurrent keep-alive clients beating random workspaces with their own tokens as fast
 * as answers come back. Baselines in the same run, same database, same client count: pgbench running the single-row
 * UPDATE a heartbeat amounts to (the same columns, a random row by id), with its default synchronous commit and with
 * the asynchronous commit Berth's liveness writes use, and `GET /health` on the same server (the HTTP stack alone). The server's RSS and CPU time are read meanwhile; then the same load runs against a server on
 * the embedded database.
 */
import { Effect, Fiber, Ref, Schedule } from "effect"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { encodeRequest } from "../load/HttpConnection.js"
import * as Load from "../load/Load.js"
import { benchIdSql, heartbeatRequest, insertExternalRows, register } from "../lib/Agents.js"
import * as BerthServer from "../lib/BerthServer.js"
import { settledMemory } from "../lib/ChildServer.js"
import type { Drivers } from "../lib/Drivers.js"
import { driversOf } from "../lib/Drivers.js"
import type { PgbenchResult } from "../lib/Postgres.js"
import { freshDatabase, pgbench, query } from "../lib/Postgres.js"

export interface HeartbeatOptions {
  readonly sizes: ReadonlyArray<number>
  readonly clients: number
  readonly warmupSeconds: number
  readonly seconds: number
  /** pgbench / Berth pairs per size; the figures are their means. */
  readonly rounds: number
}

/** `BERTH_BENCH_QUICK=1` shortens every load (1 s warm-up, 3 s measured, one round, 1k only): to try a bench, not to report. */
export const quick = process.env["BERTH_BENCH_QUICK"] === "1"

export const defaults: HeartbeatOptions = quick
  ? { sizes: [1_000], clients: 64, warmupSeconds: 1, seconds: 3, rounds: 1 }
  : { sizes: [1_000, 10_000], clients: 64, warmupSeconds: 3, seconds: 10, rounds: 2 }

/** The UPDATE a steady-state heartbeat performs on its row, for pgbench. */
const pgbenchScript = (size: number) => `\\set n random(1, ${size})
UPDATE workspaces SET last_heartbeat_at = now(), last_error_rate = 0, last_sample_error = '', active_tasks = 1,
  uptime_seconds = 3600, current_task = 'bench', updated_at = now(),
  monthly_spend = CASE WHEN 0 > 0 THEN 0 ELSE monthly_spend END
  WHERE id = ${benchIdSql(":n")} AND status <> 'removed';
`

/** What the server spent while a load ran. */
export interface ServerCost {
  /** Highest RSS sampled (every 250 ms) and RSS at the end, MiB. */
  readonly highestMiB: number
  readonly endMiB: number
  /** CPU time of the server process per answered request, microseconds. */
  readonly cpuMicrosPerRequest: number
  /** CPU time over wall time: 1.0 is one core busy. */
  readonly cpuShare: number
}

export interface Measured {
  readonly load: Load.LoadResult
  readonly cost: ServerCost
}

/** Runs `plan` while watching the server's memory and CPU time. */
export const measured = (server: BerthServer.BerthServer, plan: Load.Plan) =>
  Effect.gen(function* () {
    const highest = yield* Ref.make(0)
    const sampler = yield* Effect.fork(Effect.repeat(
      Effect.flatMap(server.memory, (m) => Ref.update(highest, (h) => Math.max(h, m.rssMiB))),
      Schedule.spaced("250 millis")
    ))
    const cpuBefore = yield* server.cpuSeconds
    const started = performance.now()
    const load = yield* Load.run(plan)
    const wallSeconds = (performance.now() - started) / 1000
    const cpuSeconds = (yield* server.cpuSeconds) - cpuBefore
    yield* Fiber.interrupt(sampler)
    const cost: ServerCost = {
      highestMiB: yield* Ref.get(highest),
      endMiB: (yield* server.memory).rssMiB,
      cpuMicrosPerRequest: (cpuSeconds * 1e6) / Math.max(1, load.answered),
      cpuShare: cpuSeconds / wallSeconds
    }
    return { load, cost } satisfies Measured
  })

/** `clients` closed-loop clients sending `requests` (picked at random) to `server`. */
export const closedLoop = (
  server: BerthServer.BerthServer,
  requests: ReadonlyArray<string>,
  options: Pick<HeartbeatOptions, "clients" | "warmupSeconds" | "seconds">
): Load.Plan => ({
  kind: "closed",
  port: server.port,
  requests,
  clients: options.clients,
  warmupMs: options.warmupSeconds * 1000,
  durationMs: options.seconds * 1000
})

const commits = (url: string) =>
  Effect.map(
    query<{ n: string }>(url, "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()"),
    (rows) => Number(rows[0]?.n ?? NaN)
  )

export interface PostgresRun {
  readonly size: number
  readonly rounds: ReadonlyArray<{ readonly pgbench: PgbenchResult; readonly pgbenchAsync: PgbenchResult; readonly berth: Measured }>
  readonly health: Measured
  /** Committed transactions of the database per answered heartbeat (pgbench: 1). */
  readonly commitsPerBeat: number
  /** RSS three seconds after start, before any workspace existed (MiB). */
  readonly idleMiB: number
  /** The driver that served each route (`Drivers.ts`). */
  readonly drivers: Drivers
}

/**
 * One size on Postgres: rounds of pgbench then Berth, then `/health`. Commits are counted over the last Berth round:
 * idle backends publish their counters within 10 s, which the `/health` phase that follows outlasts.
 */
export const onPostgres = (size: number, options: HeartbeatOptions) =>
  Effect.scoped(Effect.gen(function* () {
    const db = yield* freshDatabase("berth_bench_heartbeat")
    const server = yield* BerthServer.start(`heartbeat-postgres-${size}`, { DATABASE_URL: db.url })
    const idleMiB = (yield* settledMemory(server)).rssMiB
    yield* Effect.log(`heartbeat, ${size} workspaces on Postgres: registering`)
    yield* insertExternalRows(db.url, size)
    const beats = (yield* register(server.port, size)).map(heartbeatRequest)
    yield* query(db.url, "VACUUM ANALYZE")
    const script = join(BerthServer.workDir, `heartbeat-${size}.pgbench.sql`)
    yield* Effect.promise(() => writeFile(script, pgbenchScript(size)))
    const rounds: Array<PostgresRun["rounds"][number]> = []
    let before = 0
    for (let round = 0; round < options.rounds; round++) {
      yield* Effect.log(`heartbeat, ${size} workspaces on Postgres: round ${round + 1} of ${options.rounds}`)
      const baseline = yield* pgbench(db.url, script, options.clients, options.seconds)
      const baselineAsync = yield* pgbench(db.url, script, options.clients, options.seconds, { asyncCommit: true })
      before = yield* commits(db.url)
      rounds.push({ pgbench: baseline, pgbenchAsync: baselineAsync, berth: yield* measured(server, closedLoop(server, beats, options)) })
    }
    const health = yield* measured(server, closedLoop(server, [encodeRequest("GET", "/health").toString("latin1")], options))
    const last = rounds[rounds.length - 1]!
    const commitsPerBeat = ((yield* commits(db.url)) - before) / last.berth.load.answered
    const drivers = yield* driversOf(server.logPath)
    return { size, rounds, health, commitsPerBeat, idleMiB, drivers } satisfies PostgresRun
  }))

export interface EmbeddedRun {
  readonly size: number
  readonly berth: Measured
  /** RSS three seconds after start on the fresh data directory (MiB). */
  readonly idleMiB: number
}

/** One size on the embedded database (PGlite in the server process, a fresh data directory). */
export const onEmbedded = (size: number, options: HeartbeatOptions) =>
  Effect.scoped(Effect.gen(function* () {
    const dataDir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdir(BerthServer.workDir, { recursive: true }).then(() => mkdtemp(join(BerthServer.workDir, "pglite-")))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    )
    const server = yield* BerthServer.start(`heartbeat-embedded-${size}`, { BERTH_DATA_DIR: dataDir })
    const idleMiB = (yield* settledMemory(server)).rssMiB
    yield* Effect.log(`heartbeat, ${size} workspaces on PGlite: registering, then the load`)
    // Rows come from register itself here (no SQL access to the server's database): same statement on every beat.
    const beats = (yield* register(server.port, size)).map(heartbeatRequest)
    return { size, berth: yield* measured(server, closedLoop(server, beats, options)), idleMiB } satisfies EmbeddedRun
  }))

/** Every size on Postgres, then on the embedded database. */
export const run = (options: HeartbeatOptions = defaults) =>
  Effect.gen(function* () {
    const postgres = yield* Effect.forEach(options.sizes, (size) => onPostgres(size, options))
    const embedded = yield* Effect.forEach(options.sizes, (size) => onEmbedded(size, options))
    return { postgres, embedded }
  })
