/**
 * Agent API latency at Coder's scale-test shape (issue 9, item 3): 2,000 registered agents, each beating every 10 s
 * from a random phase (open loop, ~200 requests/s), latency measured from each beat's scheduled time. Every agent has
 * its own connection, which the server closes after 5 idle seconds, so most beats open a new one, as agents far apart
 * do. Baselines: `GET /health` with the same agents, period and connection pattern on the same server, and a
 * `GET /health` probe every 20 ms during the beats (how the server answers at the same moments).
 */
import { Effect } from "effect"
import { encodeRequest } from "../load/HttpConnection.js"
import * as Load from "../load/Load.js"
import { heartbeatRequest, insertExternalRows, register } from "../lib/Agents.js"
import * as BerthServer from "../lib/BerthServer.js"
import { freshDatabase, query } from "../lib/Postgres.js"
import type { Section } from "../lib/Report.js"
import { loadHeader, loadRow, ms, num, table } from "../lib/Report.js"

export interface AgentOptions {
  readonly agents: number
  readonly periodSeconds: number
  readonly seconds: number
}

export const defaults: AgentOptions = { agents: 2_000, periodSeconds: 10, seconds: 60 }

export const run = (options: AgentOptions = defaults) =>
  Effect.scoped(Effect.gen(function* () {
    const db = yield* freshDatabase("berth_bench_agents")
    const server = yield* BerthServer.start("agents", { DATABASE_URL: db.url })
    yield* insertExternalRows(db.url, options.agents)
    const agents = yield* register(server.port, options.agents)
    yield* query(db.url, "VACUUM ANALYZE")
    const health = encodeRequest("GET", "/health").toString("latin1")
    const plan = (requests: ReadonlyArray<string>, seconds: number, probe?: string): Load.Plan => ({
      kind: "open", port: server.port, requests, periodMs: options.periodSeconds * 1000, durationMs: seconds * 1000,
      ...(probe === undefined ? {} : { probe: { request: probe, periodMs: 20 } })
    })
    const beats = yield* Load.run(plan(agents.map(heartbeatRequest), options.seconds, health))
    const baseline = yield* Load.run(plan(agents.map(() => health), options.seconds / 2))
    return section(options, beats, baseline)
  }))

/** Where the slow beats were: in stalls, and what the server answered `GET /health` at the same moments. */
const tail = (beats: Load.LoadResult): string => {
  const b = beats.bursts
  const probe = beats.probe
  if (b === undefined || probe === undefined) return ""
  return `Of the ${num(b.slow)} beats slower than ${ms(b.slowerThanMs)}, ${num(b.inStalls)} came in ${num(b.stalls)} ` +
    `stalls (at least ${b.minSize} slow beats scheduled within ${b.windowMs} ms of each other), while a \`GET /health\` ` +
    `probe sent every 20 ms to the same server throughout had p99 ${ms(probe.p99Ms)} (max ${ms(probe.maxMs)})`
}

const section = (options: AgentOptions, beats: Load.LoadResult, health: Load.LoadResult): Section => {
  const p99 = beats.latency.p99Ms
  const stalls = tail(beats)
  return {
    title: "Agent API latency at 2,000 agents (item 3)",
    body: [
      `${num(options.agents)} agents, each beating every ${options.periodSeconds} s from a random phase for ` +
      `${options.seconds} s (open loop; latency from the scheduled send time, connection set-up included). ` +
      "Baseline: `GET /health` in the same pattern for half as long.",
      "",
      table(loadHeader, [
        loadRow("POST /registry/heartbeat", beats),
        loadRow("GET /health (baseline)", health)
      ]),
      ...(stalls === "" ? [] : ["", `${stalls}.`])
    ].join("\n"),
    aims: [{
      what: `heartbeat p99 at ${num(options.agents)} agents every ${options.periodSeconds} s`,
      aim: "< 10 ms",
      measured: `${ms(p99)} (p95 ${ms(beats.latency.p95Ms)}; /health p99 ${ms(health.latency.p99Ms)})`,
      met: p99 < 10,
      ...(p99 < 10 ? {} : {
        note: `missed by ${ms(p99 - 10)}; the median beat takes ${ms(beats.latency.p50Ms)}. ${stalls}: the event loop ` +
          "stays responsive; the tail is beats waiting together on the database path (with one batch in flight at a " +
          "time, a statement that stalls holds every beat queued behind it)"
      })
    }]
  }
}
