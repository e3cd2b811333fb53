/**
 * How a gates run is told to a person or a CI system: `text` (one line per finding), `json` (the whole report),
 * `github` (workflow commands, so findings show as annotations on the diff) and `sarif` (SARIF 2.1.0, for code
 * scanning). The verdict is shared: 0 clean, 1 findings, 2 unusable input (nothing scanned, or no gate had anything
 * to check), so a CI step pointed at the wrong folder fails instead of passing on nothing.
 */
import { pathToFileURL } from "node:url"
import type { Finding, GateId } from "./Finding.js"
import { gateIds } from "./Finding.js"
import type { GatesReport } from "./Gates.js"
import { formatFinding, formatTarget } from "./Gates.js"

export const formats = ["text", "json", "github", "sarif"] as const
export type Format = (typeof formats)[number]

export const isFormat = (s: string): s is Format => (formats as ReadonlyArray<string>).includes(s)

/** The outcome of a run and its exit code; `reason` says why an unusable run is unusable. */
export type Verdict =
  | { readonly outcome: "clean"; readonly exitCode: 0 }
  | { readonly outcome: "findings"; readonly exitCode: 1; readonly count: number }
  | { readonly outcome: "unusable"; readonly exitCode: 2; readonly reason: string }

/** A run is unusable when it scanned no file, or when every gate it ran reported only that its target is absent. */
export const verdictOf = (report: GatesReport): Verdict => {
  if (report.files === 0) {
    return {
      outcome: "unusable",
      exitCode: 2,
      reason: `no TypeScript file under ${report.root} matches include (${report.include.join(", ")}): ` +
        `point "include" in berth.gates.json at the sources, or run the gates on the project root`
    }
  }
  const checked = report.gates.filter((g) => report.findings.some((f) => f.gate === g && f.noTarget !== true) ||
    !report.findings.some((f) => f.gate === g && f.noTarget === true))
  if (report.gates.length > 0 && checked.length === 0) {
    return {
      outcome: "unusable",
      exitCode: 2,
      reason: `none of the ${report.gates.length} gate(s) found anything to check in ${report.files} file(s): ` +
        `point their targets in berth.gates.json at the modules (see the "no target found" lines)`
    }
  }
  return report.findings.length === 0
    ? { outcome: "clean", exitCode: 0 }
    : { outcome: "findings", exitCode: 1, count: report.findings.length }
}

const summary = (report: GatesReport, verdict: Verdict): string => {
  const seconds = (report.elapsedMs / 1000).toFixed(2)
  const told = verdict.outcome === "clean" ? "all passed" : verdict.outcome === "findings"
    ? `${verdict.count} finding(s)`
    : "unusable input"
  const line = `gates: ${report.gates.length} gate(s) on ${report.files} file(s): ${told} in ${seconds}s`
  return verdict.outcome === "unusable" ? `${line}\ngates: unusable input: ${verdict.reason}` : line
}

const text = (report: GatesReport, verdict: Verdict): string => [
  ...report.findings.map(formatFinding),
  ...report.notes.map((n) => `note ${n.gate}: ${n.message}`),
  ...report.targets.map(formatTarget),
  summary(report, verdict)
].join("\n")

const json = (report: GatesReport, verdict: Verdict): string =>
  JSON.stringify({ ...verdict, ...report }, null, 2)

// Workflow commands: data escapes %, CR and LF; property values also `:` and `,`.
const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C")

const githubFinding = (f: Finding): string =>
  `::error file=${escapeProperty(f.file)},line=${f.line},title=${escapeProperty(f.gate)}::${escapeData(f.message)}`

const github = (report: GatesReport, verdict: Verdict): string => [
  ...report.findings.map(githubFinding),
  ...report.notes.map((n) => `::notice title=${escapeProperty(n.gate)}::${escapeData(n.message)}`),
  ...(verdict.outcome === "unusable" ? [`::error title=berth gates::${escapeData(verdict.reason)}`] : []),
  summary(report, verdict)
].join("\n")

/** One line per gate for SARIF's rule list, with the contract section it enforces. */
const ruleText: Record<GateId, string> = {
  "no-inline-stop-in-restart": "A restart stops the old container in a background program, never inline (§10.5).",
  "cp-stop-only-through-retry": "A control-plane stop goes only through the retrying stop (§10.6).",
  "bound-status-writes": "Workspace statuses are written only by the status-writing functions, with core's values (§10.2).",
  "status-enum-drift": "The database enum of statuses equals core's list, in order (§10.3).",
  "provider-drift": "The provider derivation of core and of the template script agree (§10.4).",
  "hexagonal-boundary": "Core imports only effect; nothing but http imports http (§10.1).",
  "external-exemption": "Sweeps leave external workspaces alone, or target only them (§7.1).",
  "secrets-minted-on-every-provision": "Every provisioner start is preceded by minting the workspace's secrets (§10.7).",
  "http-uses-no-persistence-port": "No http module imports a persistence port of core.",
  "testing-kit-apart": "No production module imports the test kit.",
  "contract-references": "Every cited § is a heading of the contract."
}

const sarif = (report: GatesReport, verdict: Verdict): string => JSON.stringify({
  $schema: "https://json.schemastore.org/sarif-2.1.0.json",
  version: "2.1.0",
  runs: [{
    tool: {
      driver: {
        name: "berth-gates",
        rules: gateIds.map((id) => ({ id, shortDescription: { text: ruleText[id] } }))
      }
    },
    originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(report.root.endsWith("/") ? report.root : `${report.root}/`).href } },
    invocations: [{
      executionSuccessful: verdict.outcome !== "unusable",
      ...(verdict.outcome === "unusable"
        ? { toolExecutionNotifications: [{ level: "error", message: { text: verdict.reason } }] }
        : {})
    }],
    results: report.findings.map((f) => ({
      ruleId: f.gate,
      ruleIndex: gateIds.indexOf(f.gate),
      level: "error",
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: f.file, uriBaseId: "SRCROOT" },
          region: { startLine: f.line }
        }
      }]
    }))
  }]
}, null, 2)

/** The line for stderr: json and sarif keep stdout a document, so an unusable run's reason is also told there. */
export const stderrLine = (format: Format, verdict: Verdict): string | undefined =>
  verdict.outcome === "unusable" && (format === "json" || format === "sarif")
    ? `gates: unusable input: ${verdict.reason}`
    : undefined

/** What a run prints on stdout in `format`; for json and sarif that is the document alone. */
export const render = (report: GatesReport, format: Format, verdict: Verdict = verdictOf(report)): string => {
  switch (format) {
    case "text":
      return text(report, verdict)
    case "json":
      return json(report, verdict)
    case "github":
      return github(report, verdict)
    case "sarif":
      return sarif(report, verdict)
  }
}
