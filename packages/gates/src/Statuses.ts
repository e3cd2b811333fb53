import { Node } from "ts-morph"
import type { SourceFile } from "ts-morph"
import type { GateId } from "./Finding.js"
import type { Scan } from "./Project.js"
import { targetFiles } from "./Targets.js"

/** Core's status list as written in its module: `export const statuses = [...] as const`. */
export interface CoreStatuses {
  readonly file: SourceFile
  readonly line: number
  readonly values: ReadonlyArray<string>
}

/** The expression under `as`, `satisfies` and parentheses. */
export const unwrap = (node: Node): Node =>
  Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node)
    ? unwrap(node.getExpression())
    : node

/**
 * Reads core's list through the AST (the gates never import the project they check). Undefined when the module is
 * absent; a module without a literal `statuses` array gives an empty list, which every user of it reports.
 */
export const readCoreStatuses = (scan: Scan, gate: GateId): CoreStatuses | undefined => {
  const file = targetFiles(scan, gate, "statusModule", [scan.options.statusModule])[0]
  if (file === undefined) return undefined
  const decl = file.getVariableDeclaration("statuses")
  const init = decl?.getInitializer()
  const array = init === undefined ? undefined : unwrap(init)
  if (decl === undefined || array === undefined || !Node.isArrayLiteralExpression(array)) {
    return { file, line: 1, values: [] }
  }
  const values = array.getElements().flatMap((e) => (Node.isStringLiteral(e) ? [e.getLiteralValue()] : []))
  return { file, line: decl.getStartLineNumber(), values }
}

/** `'a'|'b'` alternation of quoted SQL literals for a list of words. */
export const quotedAlternation = (words: ReadonlyArray<string>): RegExp =>
  new RegExp(`'(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})'`, "g")
