/** The report sections of the heartbeat bench: throughput against pgbench, memory, embedded against Postgres. */
import type { Section } from "../lib/Report.js"
import { answers, ms, num, table } from "../lib/Report.js"
import type { EmbeddedRun, HeartbeatOptions, Measured, PostgresRun } from "./Heartbeat.js"

const mean = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)

/** Round means of a Postgres run. */
export const summary = (run: PostgresRun) => {
  const berth = mean(run.rounds.map((r) => r.berth.load.perSecond))
  const pgbench = mean(run.rounds.map((r) => r.pgbench.tps))
  const pgbenchAsync = mean(run.rounds.map((r) => r.pgbenchAsync.tps))
  return {
    berth,
    pgbench,
    pgbenchAsync,
    ratio: berth / pgbench,
    ratioAsync: berth / pgbenchAsync,
    p50: mean(run.rounds.map((r) => r.berth.load.latency.p50Ms)),
    p99: mean(run.rounds.map((r) => r.berth.load.latency.p99Ms)),
    pgP50: mean(run.rounds.map((r) => r.pgbench.latency.p50Ms)),
    pgP99: mean(run.rounds.map((r) => r.pgbench.latency.p99Ms)),
    cpu: mean(run.rounds.map((r) => r.berth.cost.cpuMicrosPerRequest)),
    cpuShare: mean(run.rounds.map((r) => r.berth.cost.cpuShare)),
    peakMiB: Math.max(...run.rounds.map((r) => r.berth.cost.highestMiB))
  }
}

/** Anything but 200s, or "". */
const nonOk = (m: Measured) => (m.load.errors === 0 && Object.keys(m.load.statuses).every((s) => s === "200") ? "" : answers(m.load))

export const throughputSection = (runs: ReadonlyArray<PostgresRun>, options: HeartbeatOptions): Section => {
  const rows = runs.map((run) => {
    const s = summary(run)
    return [
      num(run.size), num(options.clients), num(s.berth), ms(s.p50), ms(s.p99), num(s.pgbench), ms(s.pgP50), ms(s.pgP99),
      `**${num(s.ratio, 2)}**`, run.rounds.map((r) => num(r.berth.load.perSecond / r.pgbench.tps, 2)).join(" / "),
      num(s.pgbenchAsync), num(s.ratioAsync, 2)
    ]
  })
  const costs = runs.map((run) => {
    const s = summary(run)
    return [
      num(run.size), `${num(s.cpu)} µs`, num(s.cpuShare, 2), num(run.commitsPerBeat, 3),
      num(run.health.load.perSecond), `${num(run.health.cost.cpuMicrosPerRequest)} µs`, ms(run.health.load.latency.p99Ms),
      num(s.berth / run.health.load.perSecond, 2)
    ]
  })
  const problems = runs.flatMap((run) => [...run.rounds.map((r) => r.berth), run.health].map(nonOk).filter((t) => t !== ""))
  const body = [
    `${options.clients} closed-loop keep-alive clients, each sending its next request when the previous one is answered; ` +
    `every beat goes to a random registered workspace and presents that workspace's own token. ${options.warmupSeconds} s ` +
    `warm-up, then ${options.seconds} s measured, ${options.rounds} rounds of (pgbench, Berth) per size; figures are ` +
    "round means. pgbench runs the UPDATE a steady beat amounts to (same columns, random row by id, one commit each) " +
    "on the same table with the same client count; the ratio is against its default synchronous commit (the issue's " +
    "baseline). Berth commits liveness writes asynchronously (a sample lost in a database crash is rewritten by the " +
    "next beat), so pgbench with `synchronous_commit=off` is shown too: the same durability, per row.",
    "",
    table([
      "workspaces", "clients", "Berth beats/s", "p50", "p99", "pgbench TPS", "pgbench p50", "pgbench p99", "ratio",
      "ratio per round", "pgbench TPS, async commit", "ratio to it"
    ], rows),
    "",
    "Where the time goes. Server CPU per beat and the share of one core it used come from `/proc/<pid>/stat`; commits " +
    "per beat from `pg_stat_database` (pgbench: 1.000); `GET /health` is the same server and load generator with no " +
    "database work, the ceiling of the HTTP stack itself. " +
    `Driver that served the beats: ${[...new Set(runs.map((r) => r.drivers.heartbeat))].join(", ")}; ` +
    `\`/health\`: ${[...new Set(runs.map((r) => r.drivers.health))].join(", ")}.`,
    "",
    table(["workspaces", "CPU per beat", "cores used", "commits per beat", "GET /health req/s", "CPU per /health", "/health p99", "beats ÷ /health"], costs),
    ...(problems.length > 0 ? ["", `Non-200 answers or errors: ${problems.join("; ")}.`] : [])
  ].join("\n")
  const aims = runs.flatMap((run) => {
    const s = summary(run)
    const health = run.health.load.perSecond
    return [
      {
        what: `heartbeat throughput ÷ pgbench, ${num(run.size)} workspaces`,
        aim: "≥ 1.0",
        measured: num(s.ratio, 2),
        met: s.ratio >= 1,
        ...(s.ratio >= 1 ? {} : {
          note: `missed by ${num((1 - s.ratio) * 100)} %. Limit: the server's CPU per request (${num(s.cpu)} µs, ` +
            `${num(s.cpuShare, 2)} cores busy, one Node event loop); batching leaves ${num(run.commitsPerBeat, 3)} ` +
            `commits per beat, and even \`GET /health\` tops out at ${num(health)} req/s = ${num(health / s.pgbench, 2)} × pgbench`
        })
      },
      {
        what: `heartbeat p99, ${num(run.size)} workspaces, ${options.clients} clients`,
        aim: "< 20 ms",
        measured: ms(s.p99),
        met: s.p99 < 20,
        ...(s.p99 < 20 ? {} : {
          note: `missed by ${ms(s.p99 - 20)}: ${options.clients} clients queue on one saturated event loop ` +
            `(Little's law: ${options.clients} / ${num(s.berth)} per s = ${ms((1000 * options.clients) / s.berth)} mean)`
        })
      },
      {
        what: `server CPU per beat, ${num(run.size)} workspaces (${run.drivers.heartbeat})`,
        aim: "≤ 150 µs",
        measured: `${num(s.cpu)} µs`,
        met: s.cpu <= 150,
        ...(s.cpu <= 150 ? {} : {
          note: `missed by ${num(s.cpu - 150)} µs; \`GET /health\` alone costs ${num(run.health.cost.cpuMicrosPerRequest)} µs ` +
            "on the same server, so the HTTP edge is that share; the ceiling section compares it with bare servers"
        })
      }
    ]
  })
  return { title: "Heartbeat throughput and latency on Postgres (items 2, 8 baseline)", body, aims }
}

export const memorySection = (runs: ReadonlyArray<PostgresRun>): Section => {
  const largest = runs[runs.length - 1]!
  const s = summary(largest)
  const rows = runs.map((run) => [
    num(run.size), `${num(run.idleMiB)} MiB`, `${num(summary(run).peakMiB)} MiB`,
    `${num(run.rounds[run.rounds.length - 1]!.berth.cost.endMiB)} MiB`
  ])
  const body = [
    "RSS of the server process (`VmRSS` of `/proc/<pid>/status`), sampled every 250 ms during the heartbeat load above. " +
    "Baseline: the same server right after start, before any workspace existed.",
    "",
    table(["workspaces", "idle after start (baseline)", "peak under heartbeat load", "at the end of the load"], rows)
  ].join("\n")
  const met = s.peakMiB < 200
  const idle = Math.max(...runs.map((run) => run.idleMiB))
  return {
    title: "Memory under heartbeat load (item 7)",
    body,
    aims: [{
      what: "server RSS idle on Postgres, 3 s after start",
      aim: "< 120 MB",
      measured: `${num(idle)} MiB (highest of ${runs.length} starts)`,
      met: idle < 120,
      ...(idle < 120 ? {} : { note: `missed by ${num(idle - 120)} MiB: loaded code and the V8 heap of an idle server` })
    }, {
      what: `server RSS, ${num(largest.size)} workspaces under heartbeat load`,
      aim: "< 200 MB",
      measured: `${num(s.peakMiB)} MiB (idle ${num(largest.idleMiB)} MiB)`,
      met,
      ...(met ? {} : {
        note: `missed by ${num(s.peakMiB - 200)} MiB. The idle server already holds ${num(largest.idleMiB)} MiB, mostly ` +
          "loaded code (effect, @effect/platform, the adapters with dockerode); the rest is V8 heap grown for the " +
          "allocation rate of the load, not per-workspace data (1k and 10k peak alike)"
      })
    }]
  }
}

export const embeddedSection = (postgres: ReadonlyArray<PostgresRun>, embedded: ReadonlyArray<EmbeddedRun>): Section => {
  const rows = embedded.map((e) => {
    const pg = postgres.find((p) => p.size === e.size)
    const s = pg === undefined ? undefined : summary(pg)
    return [
      num(e.size), num(e.berth.load.perSecond), ms(e.berth.load.latency.p50Ms), ms(e.berth.load.latency.p99Ms),
      `${num(e.berth.cost.cpuMicrosPerRequest)} µs`,
      s === undefined ? "n/a" : num(s.berth), s === undefined ? "n/a" : ms(s.p99),
      s === undefined ? "n/a" : `**${num(e.berth.load.perSecond / s.berth, 2)}**`
    ]
  })
  const body = [
    "The same heartbeat load against a server on the embedded database (PGlite inside the server process, a fresh " +
    "data directory; its rows come from register itself). Baseline: the Berth-on-Postgres figures above.",
    "",
    table(["workspaces", "PGlite beats/s", "p50", "p99", "CPU per beat", "Postgres beats/s", "Postgres p99", "PGlite ÷ Postgres"], rows)
  ].join("\n")
  const aims = embedded.flatMap((e) => {
    const pg = postgres.find((p) => p.size === e.size)
    const ratio = pg === undefined ? NaN : e.berth.load.perSecond / summary(pg).berth
    return [{
      what: `PGlite heartbeat ÷ Postgres, ${num(e.size)} workspaces`,
      aim: "≥ 0.5",
      measured: num(ratio, 2),
      met: ratio >= 0.5,
      ...(ratio >= 0.5 ? {} : {
        note: `missed by ${num((0.5 - ratio) * 100)} points; ${num(e.berth.cost.cpuMicrosPerRequest)} µs of server CPU per beat ` +
          "(PGlite runs in the server's own event loop, so database work and HTTP share one core)"
      })
    }]
  })
  const largest = embedded[embedded.length - 1]
  const memoryAims = largest === undefined ? [] : [
    {
      what: "embedded server RSS idle, 3 s after start on a fresh data folder",
      aim: "< 200 MB",
      measured: `${num(largest.idleMiB)} MiB`,
      met: largest.idleMiB < 200,
      ...(largest.idleMiB < 200 ? {} : { note: `missed by ${num(largest.idleMiB - 200)} MiB: PGlite's WASM heap lives in the server process` })
    },
    {
      what: `embedded server RSS under heartbeat load, ${num(largest.size)} workspaces`,
      aim: "< 300 MB",
      measured: `${num(largest.berth.cost.highestMiB)} MiB`,
      met: largest.berth.cost.highestMiB < 300,
      ...(largest.berth.cost.highestMiB < 300 ? {} : {
        note: `missed by ${num(largest.berth.cost.highestMiB - 300)} MiB (idle ${num(largest.idleMiB)} MiB)`
      })
    }
  ]
  const memoryRows = embedded.map((e) => [num(e.size), `${num(e.idleMiB)} MiB`, `${num(e.berth.cost.highestMiB)} MiB`])
  return {
    title: "Embedded (PGlite) against Postgres (item 8)",
    body: [body, "", table(["workspaces", "RSS 3 s after start (fresh data folder)", "peak RSS under the load"], memoryRows)].join("\n"),
    aims: [...aims, ...memoryAims]
  }
}
