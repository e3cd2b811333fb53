import { Data, Effect } from "effect"
import type { Finding, GateId, Note } from "./Finding.js"
import { gateIds } from "./Finding.js"
import { boundStatusWrites } from "./gates/BoundStatusWrites.js"
import { cpStopOnlyThroughRetry } from "./gates/CpStopOnlyThroughRetry.js"
import { externalExemption } from "./gates/ExternalExemption.js"
import { hexagonalBoundary } from "./gates/HexagonalBoundary.js"
import { noInlineStop } from "./gates/NoInlineStop.js"
import { providerDrift } from "./gates/ProviderDrift.js"
import { secretsMinted } from "./gates/SecretsMinted.js"
import { statusEnumDrift } from "./gates/StatusEnumDrift.js"
import type { GateOptions } from "./Options.js"
import { resolveOptions } from "./Options.js"
import { loadProject } from "./Project.js"
import type { Scan } from "./Project.js"

type Gate = (scan: Scan, notes: Array<Note>) => ReadonlyArray<Finding> | Promise<ReadonlyArray<Finding>>

const registry: Record<GateId, Gate> = {
  "no-inline-stop-in-restart": noInlineStop,
  "cp-stop-only-through-retry": cpStopOnlyThroughRetry,
  "bound-status-writes": boundStatusWrites,
  "status-enum-drift": statusEnumDrift,
  "provider-drift": providerDrift,
  "hexagonal-boundary": hexagonalBoundary,
  "external-exemption": externalExemption,
  "secrets-minted-on-every-provision": secretsMinted
}

/** What a run found, what it could not check yet, and how long it took. */
export interface GatesReport {
  readonly findings: ReadonlyArray<Finding>
  readonly notes: ReadonlyArray<Note>
  readonly gates: ReadonlyArray<GateId>
  /** How many TypeScript files were scanned. */
  readonly files: number
  readonly elapsedMs: number
}

const byPlace = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.gate.localeCompare(b.gate)

/** Runs the gates on a project and reports everything. Throws only when the project cannot be read. */
export const runGatesReport = async (projectPath: string, options?: GateOptions): Promise<GatesReport> => {
  const started = performance.now()
  const resolved = resolveOptions(gateIds, options)
  const scan = loadProject(projectPath, resolved)
  const notes: Array<Note> = []
  const findings: Array<Finding> = []
  for (const id of resolved.gates) findings.push(...(await registry[id](scan, notes)))
  return {
    findings: findings.sort(byPlace),
    notes,
    gates: resolved.gates,
    files: scan.files.length,
    elapsedMs: performance.now() - started
  }
}

/**
 * Berth's architectural gates as a library: checks the project at `projectPath` (laid out as `packages/<name>/src`,
 * see `GateOptions` for other layouts) and returns every violation, sorted by file and line. Empty = all gates pass.
 */
export const runGates = async (projectPath: string, options?: GateOptions): Promise<ReadonlyArray<Finding>> =>
  (await runGatesReport(projectPath, options)).findings

/** The project could not be read (missing path, unreadable file). */
export class GatesFailed extends Data.TaggedError("GatesFailed")<{ readonly message: string }> {}

/** `runGatesReport` as an Effect, for callers such as the `berth gates` command. */
export const gatesReport = (projectPath: string, options?: GateOptions): Effect.Effect<GatesReport, GatesFailed> =>
  Effect.tryPromise({
    try: () => runGatesReport(projectPath, options),
    catch: (e) => new GatesFailed({ message: e instanceof Error ? e.message : String(e) })
  })

/** One line per finding, as the CLI prints it: `file:line gate: message`. */
export const formatFinding = (f: Finding): string => `${f.file}:${f.line} ${f.gate}: ${f.message}`
