import { Node } from "ts-morph"
import type { VariableDeclaration } from "ts-morph"
import type { SqlText } from "./Sql.js"
import { placeholder, statementAt, valueAt } from "./Sql.js"

/** A write of `workspaces.status` found in a SQL text: where, and the SQL that gives the value. */
export interface StatusWrite {
  /** Offset in the SQL text of the `status` column being written. */
  readonly offset: number
  /** Offset of the value's SQL (`$__` for a bound `${…}`), or undefined when it cannot be located. */
  readonly valueOffset: number | undefined
}

/** The table a statement writes, seen from an offset: the last `INSERT INTO t` / `UPDATE t` before it (not `DO UPDATE SET`). */
const targetBefore = (statement: string, offset: number): string | undefined => {
  let table: string | undefined
  for (const m of statement.slice(0, offset).matchAll(/\bINSERT\s+INTO\s+(\w+)|\bUPDATE\s+(?!SET\b)(?:ONLY\s+)?(\w+)/gi)) {
    table = (m[1] ?? m[2])?.toLowerCase()
  }
  return table
}

/** Splits a parenthesised list at top-level commas; offsets relative to the list's first character. */
const splitTopLevel = (list: string): ReadonlyArray<{ readonly start: number; readonly text: string }> => {
  const out: Array<{ start: number; text: string }> = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= list.length; i++) {
    const c = list[i]
    if (c === "(") depth++
    else if (c === ")") depth--
    if (i === list.length || (c === "," && depth === 0)) {
      out.push({ start, text: list.slice(start, i) })
      start = i + 1
    }
  }
  return out
}

/** The offset just after the `)` closing the `(` at `open`. */
const closing = (text: string, open: number): number => {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++
    else if (text[i] === ")" && --depth === 0) return i
  }
  return text.length
}

const leadingSpace = (s: string): number => s.length - s.trimStart().length

/**
 * Every write of a workspace's status in a SQL text: `status = …` in the `SET` of an `UPDATE workspaces` or of an
 * `INSERT INTO workspaces … ON CONFLICT DO UPDATE`, a `status` column of `INSERT INTO workspaces (…) VALUES (…)`, and
 * a fragment that is itself an assignment `status = …` (joined into a `SET` elsewhere, e.g. with `sql.csv`).
 */
export const statusWrites = (sql: SqlText): ReadonlyArray<StatusWrite> => {
  const out: Array<StatusWrite> = []
  const text = sql.text
  const fragment = /^\s*status\s*=\s*/i.exec(text)
  if (fragment !== null) out.push({ offset: leadingSpace(text), valueOffset: fragment[0].length })
  for (const set of text.matchAll(/\bSET\b/gi)) {
    const statement = statementAt(text, set.index)
    if (targetBefore(statement.text, set.index - statement.start) !== "workspaces") continue
    const rest = text.slice(set.index, statement.start + statement.text.length)
    const end = /\b(WHERE|RETURNING|FROM)\b/i.exec(rest)?.index ?? rest.length
    for (const m of rest.slice(0, end).matchAll(/(^|[\s,(])((?:\w+\.)?status\s*=\s*)(?!=)/gi)) {
      const at = set.index + m.index + (m[1] ?? "").length
      out.push({ offset: at, valueOffset: at + (m[2] ?? "").length })
    }
  }
  for (const insert of text.matchAll(/\bINSERT\s+INTO\s+workspaces\b(?:\s+AS\s+\w+)?\s*\(/gi)) {
    const open = insert.index + insert[0].length - 1
    const close = closing(text, open)
    const columns = splitTopLevel(text.slice(open + 1, close))
    const index = columns.findIndex((c) => c.text.trim().toLowerCase() === "status")
    if (index === -1) continue
    const offset = open + 1 + (columns[index]?.start ?? 0) + leadingSpace(columns[index]?.text ?? "")
    const values = /^\s*VALUES\s*\(/i.exec(text.slice(close + 1))
    if (values === null) {
      out.push({ offset, valueOffset: undefined }) // INSERT … SELECT: the value is whatever the query yields
      continue
    }
    const vOpen = close + values[0].length
    const value = splitTopLevel(text.slice(vOpen + 1, closing(text, vOpen)))[index]
    out.push({ offset, valueOffset: value === undefined ? undefined : vOpen + 1 + value.start + leadingSpace(value.text) })
  }
  return out
}

/** A string the SQL value is known to be: a quoted literal, or a bound `${…}` that is (or names a `const`) string. */
export const knownString = (sql: SqlText, valueOffset: number): string | undefined => {
  const quoted = /^'([^']*)'/.exec(sql.text.slice(valueOffset))
  if (quoted !== null) return quoted[1]
  if (!sql.text.startsWith(placeholder, valueOffset)) return undefined
  return stringOf(valueAt(sql, valueOffset))
}

const stringOf = (node: Node | undefined, depth = 0): string | undefined => {
  if (node === undefined || depth > 4) return undefined
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue()
  if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) {
    return stringOf(node.getExpression(), depth + 1)
  }
  if (Node.isIdentifier(node)) return stringOf(declarationOf(node)?.getInitializer(), depth + 1)
  return undefined
}

/**
 * The variable an identifier names, looked up syntactically in its enclosing blocks and file (the gates build no type
 * checker): enough for the `const x = "…"` next to the SQL that uses it.
 */
export const declarationOf = (id: Node): VariableDeclaration | undefined => {
  const name = id.getText()
  for (const scope of id.getAncestors()) {
    if (!Node.isBlock(scope) && !Node.isSourceFile(scope)) continue
    for (const statement of scope.getStatements()) {
      if (!Node.isVariableStatement(statement)) continue
      const found = statement.getDeclarations().find((d) => d.getName() === name)
      if (found !== undefined) return found
    }
  }
  return undefined
}
