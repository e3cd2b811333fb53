#!/usr/bin/env node
/**
 * `tsx packages/gates/src/main.ts [project path] [gate …] [--format text|json|github|sarif]`: runs the gates and
 * prints the report in the chosen format (`Format.ts`). Exit 0 when clean, 1 on findings, 2 on unusable input: the
 * project or its `berth.gates.json` cannot be read, a gate or format is unknown, no file was scanned, or no gate
 * found anything to check (the reason goes to stderr, and into the report).
 */
import type { GateId } from "./Finding.js"
import { gateIds } from "./Finding.js"
import { formats, isFormat, render, stderrLine, verdictOf } from "./Format.js"
import type { Format } from "./Format.js"
import { runGatesReport } from "./Gates.js"

const usage = (problem: string): never => {
  console.error(`gates: ${problem}`)
  console.error(`usage: gates [project path] [gate …] [--format ${formats.join("|")}]`)
  process.exit(2)
}

const args = process.argv.slice(2)
let format: Format = "text"
const positional: Array<string> = []
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? ""
  const inline = /^--format=(.*)$/.exec(arg)
  if (arg === "--format" || inline !== null) {
    const value = inline !== null ? inline[1] ?? "" : args[++i] ?? ""
    if (!isFormat(value)) usage(`unknown format "${value}"; known: ${formats.join(", ")}`)
    else format = value
  } else if (arg.startsWith("-")) {
    usage(`unknown option ${arg}`)
  } else {
    positional.push(arg)
  }
}
const [projectPath = ".", ...only] = positional
const unknown = only.filter((g) => !(gateIds as ReadonlyArray<string>).includes(g))
if (unknown.length > 0) usage(`unknown gate(s): ${unknown.join(", ")}; known: ${gateIds.join(", ")}`)
const selected = gateIds.filter((g: GateId) => only.length === 0 || only.includes(g))

try {
  const report = await runGatesReport(projectPath, { gates: selected })
  const verdict = verdictOf(report)
  console.log(render(report, format, verdict))
  const note = stderrLine(format, verdict)
  if (note !== undefined) console.error(note)
  process.exitCode = verdict.exitCode
} catch (e) {
  console.error(`gates: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 2
}
