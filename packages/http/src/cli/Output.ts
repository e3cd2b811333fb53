/**
 * How the operator commands print: an aligned table (or `key  value` lines for one record) for people, one JSON
 * document for scripts (`--json`). Colour only on a terminal and never when `NO_COLOR` is set, so piped output
 * and CI logs carry no escape codes.
 */
import { Console, Effect } from "effect"

/** Whether stdout is a terminal that wants colour. */
export const colour = (): boolean => process.stdout.isTTY === true && (process.env["NO_COLOR"] ?? "") === ""

const bold = (s: string): string => (colour() ? `\u001b[1m${s}\u001b[0m` : s)

/** A cell as people read it: empty for null/undefined, JSON for objects. */
export const cell = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)

/** Rows as an aligned table with a header of `columns`; `(none)` when there are no rows. */
export const table = (columns: ReadonlyArray<string>, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): string => {
  if (rows.length === 0) return "(none)"
  const cells = rows.map((row) => columns.map((c) => cell(row[c])))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)))
  const line = (values: ReadonlyArray<string>) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [bold(line(columns.map((c) => c.toUpperCase()))), ...cells.map(line)].join("\n")
}

/** One record as `key  value` lines, keys aligned; nested objects flattened as `parent.child`. */
export const record = (value: Readonly<Record<string, unknown>>): string => {
  const pairs: Array<readonly [string, string]> = []
  const walk = (prefix: string, v: Readonly<Record<string, unknown>>) => {
    for (const [k, x] of Object.entries(v)) {
      const key = prefix === "" ? k : `${prefix}.${k}`
      if (typeof x === "object" && x !== null && !Array.isArray(x)) walk(key, x as Readonly<Record<string, unknown>>)
      else pairs.push([key, cell(x)])
    }
  }
  walk("", value)
  const width = Math.max(0, ...pairs.map(([k]) => k.length))
  return pairs.map(([k, v]) => `${bold(k.padEnd(width))}  ${v}`).join("\n")
}

/** Prints `value` as JSON with `--json`, else as `human(value)`. */
export const show = <A>(json: boolean, value: A, human: (a: A) => string): Effect.Effect<void> =>
  Console.log(json ? JSON.stringify(value, null, 2) : human(value))
