/**
 * `npm run bench` runs every bench; `npm run bench -- heartbeat sweeps` runs those (`--list` names them). It builds
 * first (`tsc -b`: the server under test is `packages/http/dist`), runs each bench with a time bound, and writes the
 * Markdown report to `bench/results/<time>-<sha>.md`, printing it too. A bench that fails or runs out of time leaves
 * a section saying so; the others still run. Only 127.0.0.1 is ever addressed.
 */
import { Cause, Duration, Effect } from "effect"
import { mkdir, writeFile } from "node:fs/promises"
import * as os from "node:os"
import { join } from "node:path"
import * as AgentLatency from "./benches/AgentLatency.js"
import * as Ceiling from "./benches/Ceiling.js"
import * as CeilingReport from "./benches/CeilingReport.js"
import * as DockerProvision from "./benches/DockerProvision.js"
import * as Heartbeat from "./benches/Heartbeat.js"
import * as HeartbeatReport from "./benches/HeartbeatReport.js"
import * as Restart from "./benches/Restart.js"
import * as Sweeps from "./benches/Sweeps.js"
import * as Machine from "./lib/Machine.js"
import type { Section } from "./lib/Report.js"
import { render } from "./lib/Report.js"
import { inherit, outputOr } from "./lib/Shell.js"

interface Bench {
  readonly name: string
  /** Other names that select it (the items it reports). */
  readonly aliases: ReadonlyArray<string>
  readonly summary: string
  /** An upper bound; past it the bench is interrupted and reported as such. */
  readonly limit: Duration.DurationInput
  readonly run: Effect.Effect<ReadonlyArray<Section>, unknown>
}

const benches: ReadonlyArray<Bench> = [
  {
    name: "heartbeat",
    aliases: ["memory", "embedded"],
    summary: "heartbeat throughput/latency vs pgbench at 1k and 10k workspaces, RSS under load, PGlite vs Postgres",
    limit: "15 minutes",
    run: Effect.map(Heartbeat.run(), ({ postgres, embedded }) => [
      HeartbeatReport.throughputSection(postgres, Heartbeat.defaults),
      HeartbeatReport.memorySection(postgres),
      HeartbeatReport.embeddedSection(postgres, embedded)
    ])
  },
  {
    name: "ceiling",
    aliases: ["baselines", "profile", "workers"],
    summary: "Berth vs bare node:http and a minimal HttpApi per route, CPU profiles, BERTH_WORKERS=2 vs 1",
    limit: "6 minutes",
    run: Effect.map(Ceiling.run(), (ceiling) => [CeilingReport.section(ceiling)])
  },
  {
    name: "agents",
    aliases: ["agent-latency"],
    summary: "heartbeat latency at 2,000 agents beating every 10 s (open loop) vs GET /health",
    limit: "5 minutes",
    run: Effect.map(AgentLatency.run(), (section) => [section])
  },
  {
    name: "sweeps",
    aliases: [],
    summary: "one pass of each sweep at 1k, 10k, 100k workspaces vs a single-row UPDATE and full scans",
    limit: "10 minutes",
    run: Effect.map(Sweeps.run(), (timings) => [Sweeps.section(timings)])
  },
  {
    name: "restart",
    aliases: [],
    summary: "restart answer latency in SaaS mode while every CP stop takes 10 s, vs GET /health",
    limit: "5 minutes",
    run: Effect.map(Restart.run(), (section) => [section])
  },
  {
    name: "provision",
    aliases: ["docker"],
    summary: "Docker provision to running vs docker create + start of the same image on the same engine",
    limit: "10 minutes",
    run: Effect.map(DockerProvision.run(), (section) => [section])
  }
]

const failed = (bench: Bench, cause: Cause.Cause<unknown>): Section => ({
  title: `${bench.name}: did not complete`,
  body: ["```", Cause.pretty(cause).slice(0, 4000), "```"].join("\n"),
  aims: [{ what: bench.summary, aim: "a figure", measured: "none", met: false, note: "the bench failed; see its section" }]
})

const select = (args: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Bench>, Error> => {
  if (args.length === 0) return Effect.succeed(benches)
  const unknown = args.filter((a) => !benches.some((b) => b.name === a || b.aliases.includes(a)))
  return unknown.length > 0
    ? Effect.fail(new Error(`unknown bench ${unknown.join(", ")}; known: ${benches.map((b) => [b.name, ...b.aliases].join("/")).join(", ")}`))
    : Effect.succeed(benches.filter((b) => args.includes(b.name) || b.aliases.some((a) => args.includes(a))))
}

const main = Effect.gen(function* () {
  const args = process.argv.slice(2)
  if (args.includes("--list")) {
    for (const b of benches) console.log(`${[b.name, ...b.aliases].join(", ").padEnd(28)} ${b.summary}`)
    return
  }
  const chosen = yield* select(args)
  yield* Effect.log("building (tsc -b)")
  yield* inherit("npx", ["tsc", "-b"])
  const startedAt = new Date()
  const machine = yield* Machine.describe
  const sections: Array<Section> = []
  for (const bench of chosen) {
    yield* Effect.log(`bench ${bench.name}: ${bench.summary} (at most ${Duration.format(Duration.decode(bench.limit))})`)
    const exit = yield* Effect.exit(Effect.timeoutFail(bench.run, {
      duration: bench.limit,
      onTimeout: () => new Error(`${bench.name} ran out of its ${Duration.format(Duration.decode(bench.limit))}`)
    }))
    sections.push(...(exit._tag === "Success" ? exit.value : [failed(bench, exit.cause)]))
  }
  const report = render(machine, startedAt, sections, os.loadavg()[0] ?? NaN)
  const sha = yield* outputOr("git", ["rev-parse", "--short=8", "HEAD"], "unknown")
  const dir = join(process.cwd(), "bench", "results")
  const file = join(dir, `${startedAt.toISOString().slice(0, 16).replace(/:/g, "-")}Z-${sha}.md`)
  yield* Effect.promise(() => mkdir(dir, { recursive: true }).then(() => writeFile(file, report)))
  console.log(`\n${report}\nwritten to ${file}`)
})

Effect.runPromise(main).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
