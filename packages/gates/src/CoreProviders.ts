import * as fs from "node:fs"
import { ts } from "ts-morph"

/** Core's provider derivation as the project defines it: its table rows and its function. */
export interface CoreProviders {
  readonly rows: ReadonlyArray<{ readonly prefixes: ReadonlyArray<string>; readonly provider: string }>
  readonly derive: (model: string) => string
}

const isRow = (u: unknown): u is { prefixes: ReadonlyArray<string>; provider: string } =>
  typeof u === "object" && u !== null && "prefixes" in u && "provider" in u &&
  Array.isArray(u.prefixes) && u.prefixes.every((p: unknown) => typeof p === "string") && typeof u.provider === "string"

/**
 * Evaluates the project's own provider module (not the one this package was built with), so a checked tree is
 * compared with its own core. The module is transpiled and imported from a `data:` URL: it must be self-contained
 * apart from bare package imports (core imports only `effect`), which resolve from the gates package.
 */
export const loadCoreProviders = async (file: string): Promise<CoreProviders> => {
  const source = fs.readFileSync(file, "utf8")
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    fileName: file
  }).outputText
  const rewritten = js.replace(/(from\s+|import\s*\(\s*)(["'])([^"']+)\2/g, (_all, lead: string, quote: string, spec: string) => {
    if (spec.startsWith(".")) throw new Error(`${file} imports "${spec}": the provider module must be self-contained`)
    return `${lead}${quote}${import.meta.resolve(spec)}${quote}`
  })
  const mod: Record<string, unknown> = await import(`data:text/javascript;base64,${Buffer.from(rewritten).toString("base64")}`)
  const derive = mod["deriveProvider"]
  if (typeof derive !== "function") throw new Error(`${file} does not export deriveProvider(model)`)
  const table = Object.values(mod).find((v): v is ReadonlyArray<unknown> => Array.isArray(v) && v.length > 0 && v.every(isRow))
  if (table === undefined) throw new Error(`${file} exports no table of { prefixes, provider } rows`)
  return {
    rows: table.filter(isRow),
    derive: (model) => String(derive(model))
  }
}
