import { Node } from "ts-morph"
import type { ObjectLiteralExpression, SourceFile } from "ts-morph"
import type { GateId } from "./Finding.js"
import type { Scan } from "./Project.js"
import { unwrap } from "./Statuses.js"
import { declarationOf } from "./StatusWrites.js"
import { targetFiles } from "./Targets.js"

/** A value of a row as the gate reads it: the node, and its literal strings when it is one (or names a `const` one). */
export interface RowValue {
  readonly node: Node
  /** Undefined when the gate cannot read the value (computed, e.g. `anyButRemoved`). */
  readonly strings: ReadonlyArray<string> | undefined
}

/** One row of core's transition table: an exported `const` whose object has a `to` and a `from`. */
export interface TableRow {
  readonly name: string
  readonly node: Node
  readonly from: RowValue
  readonly to: RowValue
  /** A sweep row's runtime scope (`runtimes`), absent on a single-row change. */
  readonly runtimes: RowValue | undefined
  /** Whether the row is a sweep (it names a staleness `clock`). */
  readonly sweep: boolean
}

export interface TransitionTable {
  readonly file: SourceFile
  readonly rows: ReadonlyArray<TableRow>
}

/** The literal strings of an expression: a string, an array of strings, or a `const` naming one (a few hops). */
const stringsOf = (node: Node, depth = 0): ReadonlyArray<string> | undefined => {
  const value = unwrap(node)
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) return [value.getLiteralValue()]
  if (Node.isArrayLiteralExpression(value)) {
    const parts = value.getElements().map((e) => stringsOf(e, depth + 1))
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined
  }
  if (Node.isIdentifier(value) && depth < 4) {
    const init = declarationOf(value)?.getInitializer()
    return init === undefined ? undefined : stringsOf(init, depth + 1)
  }
  return undefined
}

const property = (object: ObjectLiteralExpression, name: string): RowValue | undefined => {
  const prop = object.getProperty(name)
  if (prop === undefined) return undefined
  const node = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined
  return node === undefined ? { node: prop, strings: undefined } : { node, strings: stringsOf(node) }
}

/**
 * Reads core's transition table through the AST (the gates never import the project they check). Undefined when the
 * module is absent from the scan.
 */
export const readTransitionTable = (scan: Scan, gate: GateId): TransitionTable | undefined => {
  const file = targetFiles(scan, gate, "transitionsModule", [scan.options.transitionsModule])[0]
  if (file === undefined) return undefined
  const rows = file.getVariableDeclarations().flatMap((decl): ReadonlyArray<TableRow> => {
    const init = decl.getInitializer()
    const object = init === undefined ? undefined : unwrap(init)
    if (object === undefined || !Node.isObjectLiteralExpression(object)) return []
    const from = property(object, "from")
    const to = property(object, "to")
    if (from === undefined || to === undefined) return []
    return [{
      name: decl.getName(),
      node: decl,
      from,
      to,
      runtimes: property(object, "runtimes"),
      sweep: object.getProperty("clock") !== undefined
    }]
  })
  return { file, rows }
}
