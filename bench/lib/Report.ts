/** The Markdown report: machine and versions, a table of aims, then one section per bench. */
import type { LoadResult } from "../load/Load.js"
import type { Machine } from "./Machine.js"

/** One aim of the issue, judged on a figure of this run. */
export interface Aim {
  readonly what: string
  readonly aim: string
  readonly measured: string
  /** `"n/a"` when the run could not judge it (e.g. the server lacks the feature); the note says why. */
  readonly met: boolean | "n/a"
  /** By how much it is missed and what limits it (when missed), or a remark. */
  readonly note?: string
}

export interface Section {
  readonly title: string
  /** Markdown: tables and prose. */
  readonly body: string
  readonly aims: ReadonlyArray<Aim>
}

/** A Markdown table from a header and rows. */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n")

/** A number with `digits` decimals and thousands separators. */
export const num = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a"

export const ms = (n: number): string => `${num(n, n < 10 ? 2 : 1)} ms`

/** Answers by status and connection errors, e.g. `11998×200, 2×503, 1 errors`. */
export const answers = (r: LoadResult): string =>
  Object.entries(r.statuses).map(([status, n]) => `${n}×${status}`).join(", ") + (r.errors > 0 ? `, ${r.errors} errors` : "")

/** Columns of `loadRow`. */
export const loadHeader = ["requests", "answered", "per s", "p50", "p95", "p99", "max", "connections opened", "answers"]

/** One load result as a table row. */
export const loadRow = (what: string, r: LoadResult): ReadonlyArray<string> => [
  what, num(r.completed), num(r.perSecond, 1), ms(r.latency.p50Ms), ms(r.latency.p95Ms), ms(r.latency.p99Ms),
  ms(r.latency.maxMs), num(r.connects), answers(r)
]

export const render = (
  machine: Machine,
  startedAt: Date,
  sections: ReadonlyArray<Section>,
  loadAverageAtEnd: number
): string => {
  const aims = sections.flatMap((s) => s.aims)
  return [
    `# Berth benchmarks, ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    "Every figure is next to a baseline measured in the same run on the same machine. Produced by `npm run bench`.",
    "",
    table(["machine", ""], [
      ["CPU", `${machine.cpu}, ${machine.cores} cores`],
      ["memory", `${machine.memoryGiB} GiB`],
      ["OS", machine.os],
      ["node", machine.node],
      ["Postgres server", machine.postgres],
      ["Docker engine", machine.docker],
      ["Berth", machine.berth],
      ["1-minute load average", `${num(machine.loadAverage, 1)} at the start, ${num(loadAverageAtEnd, 1)} at the end (${machine.cores} cores; other work on the machine shows here)`]
    ]),
    "",
    "## Aims",
    "",
    table(["what", "aim", "measured", "met", "note"], aims.map((a) => [a.what, a.aim, a.measured, a.met === "n/a" ? "n/a" : a.met ? "yes" : "**no**", a.note ?? ""])),
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", s.body, ""])
  ].join("\n")
}
