import type { SourceFile } from "ts-morph"
import { configFileName, configLine } from "./Config.js"
import type { Finding, GateId } from "./Finding.js"
import { matchesAny } from "./Glob.js"
import type { ResolvedOptions } from "./Options.js"
import type { Scan } from "./Project.js"

/** What a gate looked for and how much it found: printed by the CLI so a reader sees what each gate covers. */
export interface TargetUse {
  readonly gate: GateId
  /** The option naming the target (`restartModules`…), as written in `berth.gates.json`. */
  readonly option: keyof ResolvedOptions
  readonly globs: ReadonlyArray<string>
  /** Root-relative paths that matched. */
  readonly files: ReadonlyArray<string>
}

/** The scanned files matching a target option, recorded in the scan's target log. */
export const targetFiles = (
  scan: Scan, gate: GateId, option: keyof ResolvedOptions, globs: ReadonlyArray<string>
): ReadonlyArray<SourceFile> => {
  const matches = matchesAny(globs)
  const files = scan.files.filter((f) => matches(scan.rel(f)))
  scan.targets.push({ gate, option, globs, files: files.map(scan.rel) })
  return files
}

/** Records a target that is not a set of scanned modules (a script, a migrations folder, call sites). */
export const recordTarget = (
  scan: Scan, gate: GateId, option: keyof ResolvedOptions, globs: ReadonlyArray<string>, files: ReadonlyArray<string>
): void => {
  scan.targets.push({ gate, option, globs, files })
}

/**
 * The finding of a gate whose target is absent: a gate with nothing to check must fail, so that renaming or moving a
 * module cannot turn it off. It points at the option in `berth.gates.json` (line 1 when the file or key is absent).
 */
export const noTarget = (scan: Scan, gate: GateId, option: keyof ResolvedOptions, what: string): Finding => ({
  gate,
  file: configFileName,
  line: configLine(scan.root, option),
  message: `no target found for ${option} (${what}): point ${option} in ${configFileName} at the modules, or restore them`,
  noTarget: true
})

/** `a, b` of globs for messages. */
export const showGlobs = (globs: ReadonlyArray<string>): string => globs.join(", ")
