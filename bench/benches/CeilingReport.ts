/** The report sections of the ceiling bench: Berth against the bare and minimal servers, profiles, workers. */
import type { ProfileSummary } from "../lib/Profile.js"
import type { Aim, Section } from "../lib/Report.js"
import { ms, num, table } from "../lib/Report.js"
import type { CeilingRun } from "./Ceiling.js"
import { options } from "./Ceiling.js"
import type { Measured } from "./Heartbeat.js"

const row = (route: string, server: string, m: Measured, berth: Measured) => [
  route, server, num(m.load.perSecond), ms(m.load.latency.p50Ms), ms(m.load.latency.p99Ms),
  `${num(m.cost.cpuMicrosPerRequest)} µs`, num(berth.load.perSecond / m.load.perSecond, 2),
  num(m.cost.cpuMicrosPerRequest / berth.cost.cpuMicrosPerRequest, 2)
]

const pct = (share: number) => `${num(100 * share, 1)} %`

const profileTable = (title: string, p: ProfileSummary | undefined) =>
  p === undefined ? `${title}: no profile was written (the server did not stop cleanly).` : [
    `${title} (${num(p.busy)} busy samples of ${num(p.samples)}; start-up included):`,
    "",
    table(["top packages (self time)", "share"], p.byPackage.slice(0, 8).map((s) => [`\`${s.name}\``, pct(s.share)])),
    "",
    table(["top frames (self time)", "share"], p.self.slice(0, 10).map((s) => [`\`${s.name}\``, pct(s.share)]))
  ].join("\n")

export const section = (run: CeilingRun): Section => {
  const { health, heartbeat, workers } = run
  const apiRatio = health.berth.load.perSecond / health.httpApi.load.perSecond
  const two = workers.twoWorkers
  const workerRatio = two === undefined ? NaN : two.load.perSecond / heartbeat.berth.load.perSecond
  const aims: Array<Aim> = [
    {
      what: `\`GET /health\` through the ${run.drivers.health} ÷ minimal one-endpoint HttpApi`,
      aim: "≥ 0.9",
      measured: `${num(apiRatio, 2)} (CPU per request: minimal ÷ Berth ${num(health.httpApi.cost.cpuMicrosPerRequest / health.berth.cost.cpuMicrosPerRequest, 2)})`,
      met: apiRatio >= 0.9,
      ...(apiRatio >= 0.9 ? {} : {
        note: `Berth's edge costs ${num(health.berth.cost.cpuMicrosPerRequest - health.httpApi.cost.cpuMicrosPerRequest)} µs per ` +
          "request over the framework's own; the profile section shows where"
      })
    },
    {
      what: "heartbeat with `BERTH_WORKERS=2` ÷ 1 worker",
      aim: "> 1.0",
      measured: two === undefined ? "not available" : `${num(workerRatio, 2)} (${num(two.load.perSecond)} vs ${num(heartbeat.berth.load.perSecond)} beats/s)`,
      met: two === undefined ? "n/a" : workerRatio > 1,
      ...(two === undefined
        ? { note: `the server ran as ${workers.processes} process(es) with BERTH_WORKERS=2, as with 1: it does not accept the variable` }
        : workerRatio > 1 ? {} : { note: "both workers share the machine's 2 cores with the load generator" })
    }
  ]
  const body = [
    `${options.clients} closed-loop keep-alive clients (the heartbeat bench's count and load generator), ` +
    `${options.warmupSeconds} s warm-up, ${options.seconds} s measured, one load per server in turn; ` +
    `${num(options.workspaces)} registered workspaces, each beat with its own token (the bare server ignores it). ` +
    "CPU per request is the server's own CPU time (`/proc/<pid>/stat`) over the answers: on a shared machine it is " +
    "steadier than throughput. Ratios: Berth's throughput ÷ the row's, and the row's CPU per request ÷ Berth's " +
    "(both 1.00 when Berth costs nothing over the baseline).",
    "",
    table(["route", "server", "req/s", "p50", "p99", "CPU per request", "Berth ÷ it (req/s)", "it ÷ Berth (CPU)"], [
      row("GET /health", `Berth (${run.drivers.health})`, health.berth, health.berth),
      row("GET /health", "(a) bare `node:http`", health.bare, health.berth),
      row("GET /health", "(c) minimal HttpApi", health.httpApi, health.berth),
      row("POST /registry/heartbeat", `Berth (${run.drivers.heartbeat})`, heartbeat.berth, heartbeat.berth),
      row("POST /registry/heartbeat", "(b) bare `node:http`, answer from memory", heartbeat.bare, heartbeat.berth),
      ...(two === undefined ? [] : [row("POST /registry/heartbeat", "Berth, `BERTH_WORKERS=2`", two, heartbeat.berth)])
    ]),
    "",
    two === undefined
      ? `\`BERTH_WORKERS=2\`: not available (the server ran as ${workers.processes} process(es), as with 1).`
      : `\`BERTH_WORKERS=2\`: ${workers.processes} processes; CPU and RSS summed over all of them.`,
    "",
    "### Flame profile summary",
    "",
    "Berth on Postgres started under `node --cpu-prof`, the same load for the same time, once per route; shares of " +
    "the busy samples (`lib/Profile.ts`, also `tools/ProfileTop.ts`).",
    "",
    profileTable("`GET /health`", run.profiles.health),
    "",
    profileTable("`POST /registry/heartbeat`", run.profiles.heartbeat)
  ].join("\n")
  return { title: "Ceilings: Berth against bare node:http and a minimal HttpApi (issue 21 item 1)", body, aims }
}
