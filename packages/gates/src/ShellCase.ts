/**
 * Reads the provider `case` of a template's `derive-provider.sh` (contract §10.4): the `case` on the model variable
 * up to its `esac`; one-line clauses `p1/*|p2/*) PROVIDER="x" ;;`; multi-line clauses, whose provider is the first
 * `PROVIDER=…` before their `;;`; `*)` ignored; every alias of a clause expanded to its own prefix.
 */

/** One clause as written. */
export interface CaseClause {
  readonly line: number
  readonly patterns: ReadonlyArray<string>
  readonly provider: string | undefined
}

export interface ProviderCase {
  /** 1-based line of the `case … in`. */
  readonly line: number
  readonly clauses: ReadonlyArray<CaseClause>
  /** prefix → provider and the clause line, first clause wins (as in the shell). */
  readonly map: ReadonlyMap<string, { readonly provider: string; readonly line: number }>
  /** Patterns other than `prefix/*` and `*`, which the comparison cannot follow. */
  readonly unparsed: ReadonlyArray<{ readonly pattern: string; readonly line: number }>
}

const caseStart = /^\s*case\s+"?\$\{?(_HERMES_MODEL|HERMES_DEFAULT_MODEL|HERMES_INFERENCE_MODEL)\b[^\s]*\s+in\b/
const providerAssign = /\bPROVIDER=(?:"([^"]*)"|'([^']*)'|([^\s;]*))/
const clauseEnd = /;;&?|;&/
const prefixPattern = /^([A-Za-z0-9._-]+)\/\*$/

/** Drops a `# comment` that starts a word (good enough for a case statement; `#` in quotes is not expected). */
const stripComment = (line: string): string => line.replace(/(^|\s)#.*$/, "$1")
const unquote = (p: string): string => p.trim().replace(/["']/g, "")

/** Parses the provider case, or undefined when the script has none. */
export const parseProviderCase = (script: string): ProviderCase | undefined => {
  const lines = script.split("\n")
  const start = lines.findIndex((l) => caseStart.test(stripComment(l)))
  if (start === -1) return undefined
  const clauses: Array<CaseClause> = []
  let current: { line: number; patterns: ReadonlyArray<string>; provider: string | undefined } | undefined
  let depth = 0
  const body = (text: string): void => {
    if (current === undefined) return
    if (/^\s*case\s.*\sin\b/.test(text)) depth++
    if (/^\s*esac\b/.test(text) && depth > 0) {
      depth--
      return
    }
    if (current.provider === undefined) {
      const m = providerAssign.exec(text)
      if (m !== null) current.provider = m[1] ?? m[2] ?? m[3] ?? ""
    }
    if (depth === 0 && clauseEnd.test(text)) {
      clauses.push(current)
      current = undefined
    }
  }
  for (let i = start + 1; i < lines.length; i++) {
    const text = stripComment(lines[i] ?? "")
    if (current === undefined) {
      if (text.trim() === "") continue
      if (/^\s*esac\b/.test(text)) break
      const m = /^\s*\(?([^)]*)\)(.*)$/.exec(text)
      if (m === null) continue
      current = { line: i + 1, patterns: (m[1] ?? "").split("|").map(unquote), provider: undefined }
      body(m[2] ?? "")
    } else {
      body(text)
    }
  }
  const map = new Map<string, { provider: string; line: number }>()
  const unparsed: Array<{ pattern: string; line: number }> = []
  for (const clause of clauses) {
    for (const pattern of clause.patterns) {
      if (pattern === "*") continue
      const prefix = prefixPattern.exec(pattern)?.[1]
      if (prefix === undefined) unparsed.push({ pattern, line: clause.line })
      else if (!map.has(prefix) && clause.provider !== undefined) map.set(prefix, { provider: clause.provider, line: clause.line })
    }
  }
  return { line: start + 1, clauses, map, unparsed }
}
