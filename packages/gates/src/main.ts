/**
 * `tsx packages/gates/src/main.ts <project path> [gate …]`: prints `file:line gate: message` per finding, what each
 * gate targeted, then a summary with the elapsed time; exits 1 on findings, 2 when the project or its
 * `berth.gates.json` cannot be read.
 */
import type { GateId } from "./Finding.js"
import { gateIds } from "./Finding.js"
import { formatFinding, formatTarget, runGatesReport } from "./Gates.js"

const [projectPath = ".", ...only] = process.argv.slice(2)
const unknown = only.filter((g) => !(gateIds as ReadonlyArray<string>).includes(g))
if (unknown.length > 0) {
  console.error(`unknown gate(s): ${unknown.join(", ")}; known: ${gateIds.join(", ")}`)
  process.exit(2)
}
const selected = gateIds.filter((g: GateId) => only.length === 0 || only.includes(g))

try {
  const report = await runGatesReport(projectPath, { gates: selected })
  for (const finding of report.findings) console.log(formatFinding(finding))
  for (const note of report.notes) console.log(`note ${note.gate}: ${note.message}`)
  for (const target of report.targets) console.log(formatTarget(target))
  const seconds = (report.elapsedMs / 1000).toFixed(2)
  const verdict = report.findings.length === 0 ? "all passed" : `${report.findings.length} finding(s)`
  console.log(`gates: ${report.gates.length} gate(s) on ${report.files} file(s): ${verdict} in ${seconds}s`)
  process.exitCode = report.findings.length === 0 ? 0 : 1
} catch (e) {
  console.error(`gates: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 2
}
