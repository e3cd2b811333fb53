import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"
import { loadCoreProviders } from "../CoreProviders.js"
import type { CoreProviders } from "../CoreProviders.js"
import type { Finding } from "../Finding.js"
import type { Scan } from "../Project.js"
import { parseProviderCase } from "../ShellCase.js"
import type { ProviderCase } from "../ShellCase.js"
import { noTarget, recordTarget, targetFiles } from "../Targets.js"

const gate = "provider-drift" as const

/** §9.1 accepted divergences: the shell may pick another provider at boot; core must store `openrouter`. */
export const divergences: ReadonlyArray<string> = ["openai", "nousresearch"]
/** Slugs whose answer never changes, so an empty or misparsed map cannot pass. */
const anchors: ReadonlyArray<readonly [string, string | undefined]> = [
  ["anthropic", "anthropic"], ["minimax", "minimax"], ["minimax-cn", "minimax-cn"], ["openrouter", "openrouter"],
  ["custom", "custom"], ["alibaba", "alibaba"], ["dashscope", "alibaba"], ["qwen", "alibaba"],
  ["openai", undefined], ["nousresearch", undefined]
]
/** Slugs outside every table: no slash, empty, leading slash, wrong case, unknown vendor. */
const oddSlugs: ReadonlyArray<string> = ["", "anthropic", "/claude", "Anthropic/claude-x", "unknown-vendor/model", "auto/x"]

/** The script prints `auto` when it has no rule; core's `""` means the same thing: no hint, decide at boot. */
const sameAnswer = (script: string, core: string): boolean => script === core || (script === "auto" && core === "")

/** Runs the script once per slug from one bash driver, with a clean environment (no provider keys set). */
const runScript = (script: string, slugs: ReadonlyArray<string>): Promise<ReadonlyMap<string, string>> =>
  new Promise((resolve, reject) => {
    const driver = 'for m in "$@"; do out=$(env -i PATH="$PATH" HERMES_DEFAULT_MODEL="$m" bash "$SCRIPT" 2>/dev/null | tail -n 1); printf "%s\\t%s\\n" "$m" "$out"; done'
    execFile("bash", ["-c", driver, "derive-provider-corpus", ...slugs],
      { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", SCRIPT: script }, timeout: 30_000, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error !== null) return reject(error)
        const answers = new Map<string, string>()
        for (const line of stdout.split("\n").filter((l) => l.includes("\t"))) {
          const tab = line.indexOf("\t")
          answers.set(line.slice(0, tab), line.slice(tab + 1).trim())
        }
        resolve(answers)
      })
  })

/** Line of a prefix in core's module (its string literal), else the module's first line. */
const coreLine = (file: SourceFile, prefix: string): number => {
  const literal = file.getDescendantsOfKind(SyntaxKind.StringLiteral).find((s) => s.getLiteralValue() === prefix)
  return literal?.getStartLineNumber() ?? 1
}

const compareTables = (
  scan: Scan, module: SourceFile, parsed: ProviderCase, core: CoreProviders
): ReadonlyArray<Finding> => {
  const script = scan.options.providerScript
  const coreFile = scan.rel(module)
  const findings: Array<Finding> = []
  const drift = (file: string, line: number, message: string): void => {
    findings.push({ gate, file, line, message: `DRIFT: ${message}` })
  }
  for (const { pattern, line } of parsed.unparsed) {
    drift(script, line, `pattern "${pattern}" is not \`prefix/*\`: write one \`prefix/*\` per alias so the table can be compared`)
  }
  for (const [prefix, want] of anchors) {
    const got = parsed.map.get(prefix)
    if (got === undefined || (want !== undefined && got.provider !== want)) {
      drift(script, parsed.line, `sanity anchor ${prefix}/* → ${want ?? "(any)"} not found by the parser (got ${got?.provider ?? "nothing"}): keep it in the case on the model variable`)
    }
  }
  for (const prefix of divergences) {
    const answer = core.derive(`${prefix}/model`)
    if (answer !== "openrouter") {
      drift(coreFile, coreLine(module, prefix), `core derives "${answer}" for ${prefix}/*; the accepted divergence requires exactly "openrouter" (§9.1)`)
    }
  }
  for (const [prefix, { provider, line }] of parsed.map) {
    if (divergences.includes(prefix)) continue
    const answer = core.derive(`${prefix}/model`)
    if (!sameAnswer(provider, answer)) {
      drift(script, line, `the script maps ${prefix}/* to "${provider}" but core derives "${answer}": make ${coreFile} and the script agree (§9.1)`)
    }
  }
  for (const row of core.rows) {
    for (const prefix of row.prefixes) {
      if (divergences.includes(prefix) || parsed.map.has(prefix)) continue
      drift(coreFile, coreLine(module, prefix), `core maps ${prefix}/* to "${row.provider}" but the script has no clause for it: add \`${prefix}/*\` to ${script}`)
    }
  }
  return findings
}

const compareRuns = async (scan: Scan, parsed: ProviderCase, core: CoreProviders): Promise<ReadonlyArray<Finding>> => {
  const prefixes = new Set([...parsed.map.keys(), ...core.rows.flatMap((r) => r.prefixes)])
  const slugs = [...[...prefixes].map((p) => `${p}/some-model`), ...oddSlugs]
  const answers = await runScript(scan.abs(scan.options.providerScript), slugs)
  const findings: Array<Finding> = []
  for (const slug of slugs) {
    const prefix = slug.split("/")[0] ?? ""
    if (slug.includes("/") && divergences.includes(prefix)) continue
    const shell = answers.get(slug)
    const answer = core.derive(slug)
    if (shell === undefined || !sameAnswer(shell, answer)) {
      findings.push({ gate, file: scan.options.providerScript, line: parsed.map.get(prefix)?.line ?? parsed.line,
        message: `DRIFT: bash derive-provider.sh prints "${shell ?? "(nothing)"}" for "${slug}" but core derives "${answer}": make them agree (§9.1)` })
    }
  }
  return findings
}

/**
 * Contract §10.4: core's provider table and the hermes template's `derive-provider.sh` agree in both directions,
 * parsed (the `case` statement) and run (bash on a corpus of slugs), except the accepted divergences `openai` and
 * `nousresearch`, for which core must answer exactly `openrouter`. Sanity anchors keep an empty parse from passing.
 */
export const providerDrift = async (scan: Scan): Promise<ReadonlyArray<Finding>> => {
  const { providerModule, providerScript } = scan.options
  const coreFile = targetFiles(scan, gate, "providerModule", [providerModule])[0]
  const scriptExists = fs.existsSync(scan.abs(providerScript))
  recordTarget(scan, gate, "providerScript", [providerScript], scriptExists ? [providerScript] : [])
  if (coreFile === undefined) {
    if (scriptExists) return [{ gate, file: providerScript, line: 1, message: `DRIFT: no ${providerModule} to compare the script with: add core's provider table` }]
    return [noTarget(scan, gate, "providerModule", `neither ${providerModule} nor ${providerScript}`)]
  }
  if (!scriptExists) {
    return [{ gate, file: scan.rel(coreFile), line: 1, message: `DRIFT: ${providerScript} is missing: ship the hermes template's provider script` }]
  }
  const parsed = parseProviderCase(fs.readFileSync(scan.abs(providerScript), "utf8"))
  if (parsed === undefined) {
    return [{ gate, file: providerScript, line: 1, message: "DRIFT: no `case \"$HERMES_DEFAULT_MODEL\" in` (or _HERMES_MODEL / HERMES_INFERENCE_MODEL) found: the provider case cannot be compared" }]
  }
  let core: CoreProviders
  try {
    core = await loadCoreProviders(coreFile.getFilePath())
  } catch (e) {
    return [{ gate, file: scan.rel(coreFile), line: 1, message: `DRIFT: cannot evaluate core's provider derivation: ${e instanceof Error ? e.message : String(e)}` }]
  }
  const table = compareTables(scan, coreFile, parsed, core)
  const runs = await compareRuns(scan, parsed, core)
  return [...table, ...runs]
}
