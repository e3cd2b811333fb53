import * as path from "node:path"
import { Data, Effect, Either } from "effect"
import { readConfigFile } from "./Config.js"
import type { Finding, GateId, Note } from "./Finding.js"
import { gateIds } from "./Finding.js"
import { boundStatusWrites } from "./gates/BoundStatusWrites.js"
import { contractReferences } from "./gates/ContractReferences.js"
import { cpStopOnlyThroughRetry } from "./gates/CpStopOnlyThroughRetry.js"
import { externalExemption } from "./gates/ExternalExemption.js"
import { hexagonalBoundary } from "./gates/HexagonalBoundary.js"
import { httpUsesNoPersistencePort } from "./gates/HttpUsesNoPersistencePort.js"
import { noInlineStop } from "./gates/NoInlineStop.js"
import { providerDrift } from "./gates/ProviderDrift.js"
import { secretsMinted } from "./gates/SecretsMinted.js"
import { statusEnumDrift } from "./gates/StatusEnumDrift.js"
import { testingKitApart } from "./gates/TestingKitApart.js"
import type { GateOptions } from "./Options.js"
import { resolveOptions } from "./Options.js"
import { loadProject } from "./Project.js"
import type { Scan } from "./Project.js"
import type { TargetUse } from "./Targets.js"

type Gate = (scan: Scan, notes: Array<Note>) => ReadonlyArray<Finding> | Promise<ReadonlyArray<Finding>>

const registry: Record<GateId, Gate> = {
  "no-inline-stop-in-restart": noInlineStop,
  "cp-stop-only-through-retry": cpStopOnlyThroughRetry,
  "bound-status-writes": boundStatusWrites,
  "status-enum-drift": statusEnumDrift,
  "provider-drift": providerDrift,
  "hexagonal-boundary": hexagonalBoundary,
  "external-exemption": externalExemption,
  "secrets-minted-on-every-provision": secretsMinted,
  "http-uses-no-persistence-port": httpUsesNoPersistencePort,
  "testing-kit-apart": testingKitApart,
  "contract-references": contractReferences
}

/** What a run found, what it could not check yet, and how long it took. */
export interface GatesReport {
  readonly findings: ReadonlyArray<Finding>
  readonly notes: ReadonlyArray<Note>
  readonly gates: ReadonlyArray<GateId>
  /** What each gate targeted (option, globs, matched files): a gate with an empty target has failed. */
  readonly targets: ReadonlyArray<TargetUse>
  /** How many TypeScript files were scanned. */
  readonly files: number
  /** The project's absolute root, and the globs that chose the scanned files (for reports and reasons). */
  readonly root: string
  readonly include: ReadonlyArray<string>
  readonly elapsedMs: number
}

const byPlace = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.gate.localeCompare(b.gate)

/**
 * Runs the gates on a project and reports everything. Options given here win over the project's `berth.gates.json`,
 * which wins over the defaults. Throws only when the project or its config file cannot be read.
 */
export const runGatesReport = async (projectPath: string, options?: GateOptions): Promise<GatesReport> => {
  const started = performance.now()
  const fromFile = readConfigFile(path.resolve(projectPath))
  if (Either.isLeft(fromFile)) throw new Error(fromFile.left)
  const resolved = resolveOptions(gateIds, fromFile.right, options)
  const scan = loadProject(projectPath, resolved)
  const notes: Array<Note> = []
  const findings: Array<Finding> = []
  for (const id of resolved.gates) findings.push(...(await registry[id](scan, notes)))
  return {
    findings: findings.sort(byPlace),
    notes,
    gates: resolved.gates,
    targets: scan.targets,
    files: scan.files.length,
    root: scan.root,
    include: resolved.include,
    elapsedMs: performance.now() - started
  }
}

/**
 * Berth's architectural gates as a library: checks the project at `projectPath` (laid out as `packages/<name>/src`,
 * see `GateOptions` for other layouts) and returns every violation, sorted by file and line. Empty = all gates pass.
 */
export const runGates = async (projectPath: string, options?: GateOptions): Promise<ReadonlyArray<Finding>> =>
  (await runGatesReport(projectPath, options)).findings

/** The project could not be read (missing path, unreadable file, invalid `berth.gates.json`). */
export class GatesFailed extends Data.TaggedError("GatesFailed")<{ readonly message: string }> {}

/** `runGatesReport` as an Effect, for callers such as the `berth gates` command. */
export const gatesReport = (projectPath: string, options?: GateOptions): Effect.Effect<GatesReport, GatesFailed> =>
  Effect.tryPromise({
    try: () => runGatesReport(projectPath, options),
    catch: (e) => new GatesFailed({ message: e instanceof Error ? e.message : String(e) })
  })

/** One line per finding, as the CLI prints it: `file:line gate: message`. */
export const formatFinding = (f: Finding): string => `${f.file}:${f.line} ${f.gate}: ${f.message}`

/** One line per target, as the CLI prints it: `target gate option: globs -> N file(s) (first few)`. */
export const formatTarget = (t: TargetUse): string => {
  const shown = t.files.slice(0, 3).join(", ") + (t.files.length > 3 ? ", …" : "")
  return `target ${t.gate} ${t.option}: ${t.globs.join(", ")} -> ${t.files.length} file(s)${t.files.length > 0 ? ` (${shown})` : ""}`
}
