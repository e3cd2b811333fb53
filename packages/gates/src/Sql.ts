import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"

/** Stands for every `${…}` of a template in the joined text: a bound parameter or an interpolated fragment. */
export const placeholder = "$__"

/** One piece of SQL as the code writes it: the literal parts joined, with a way back to file positions. */
export interface SqlText {
  /** The expression holding the SQL (a tagged template, a string or a template). */
  readonly node: Node
  /** Literal parts joined by `placeholder`, comments blanked (same length), so offsets map back. */
  readonly text: string
  /** Absolute file position of an offset in `text`. */
  readonly posAt: (offset: number) => number
  /** The `${…}` expressions, in order: the n-th `placeholder` of `text` stands for `values[n]`. */
  readonly values: ReadonlyArray<Node>
}

interface Part {
  readonly raw: string
  readonly pos: number
}

/** Raw literal parts of a string or template, with the absolute position of each part's first character. */
const partsOf = (node: Node): ReadonlyArray<Part> | undefined => {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return [{ raw: node.getText().slice(1, -1), pos: node.getStart() + 1 }]
  }
  if (Node.isTemplateExpression(node)) {
    const head = node.getHead()
    const parts: Array<Part> = [{ raw: head.getText().slice(1, -2), pos: head.getStart() + 1 }]
    for (const span of node.getTemplateSpans()) {
      const lit = span.getLiteral()
      const text = lit.getText()
      const tail = Node.isTemplateTail(lit)
      parts.push({ raw: text.slice(1, tail ? -1 : -2), pos: lit.getStart() + 1 })
    }
    return parts
  }
  return undefined
}

/** Blank `-- …` and `/* … *\/` comments with spaces, keeping offsets. */
const blankComments = (text: string): string =>
  text.replace(/--[^\n]*/g, (m) => " ".repeat(m.length)).replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "))

const spansOf = (node: Node): ReadonlyArray<Node> =>
  Node.isTemplateExpression(node) ? node.getTemplateSpans().map((span) => span.getExpression()) : []

const make = (node: Node, parts: ReadonlyArray<Part>, values: ReadonlyArray<Node>): SqlText => {
  const starts: Array<number> = []
  let text = ""
  parts.forEach((part, i) => {
    if (i > 0) text += placeholder
    starts.push(text.length)
    text += part.raw
  })
  const posAt = (offset: number): number => {
    let i = starts.length - 1
    while (i > 0 && (starts[i] ?? 0) > offset) i--
    const part = parts[i]
    return part === undefined ? node.getStart() : part.pos + Math.min(offset - (starts[i] ?? 0), part.raw.length)
  }
  return { node, text: blankComments(text), posAt, values }
}

const sqlTag = /(^|\.)sql$/
/** Driver and client calls whose first argument is SQL text (`sql.unsafe`, pg/PGlite `query`/`exec`). */
const sqlCalls = new Set(["unsafe", "query", "exec", "execute"])
/** An untagged string that reads as a statement is SQL wherever it appears (e.g. a constant passed on later). */
const looksLikeSql = /^\s*\(?\s*(SELECT|UPDATE|INSERT|DELETE|WITH|CREATE|ALTER|DROP)\s/

/** Every piece of SQL text in a file: `sql` tagged templates, SQL call arguments, statement-like strings. */
export const sqlTexts = (file: SourceFile): ReadonlyArray<SqlText> => {
  const out: Array<SqlText> = []
  const seen = new Set<Node>()
  for (const tagged of file.getDescendantsOfKind(SyntaxKind.TaggedTemplateExpression)) {
    if (!sqlTag.test(tagged.getTag().getText())) continue
    const template = tagged.getTemplate()
    const parts = partsOf(template)
    if (parts === undefined) continue
    seen.add(template)
    out.push(make(tagged, parts, spansOf(template)))
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression()
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText()
    if (!sqlCalls.has(name)) continue
    const first = call.getArguments()[0]
    if (first === undefined || seen.has(first)) continue
    const parts = partsOf(first)
    if (parts === undefined) continue
    seen.add(first)
    out.push(make(first, parts, spansOf(first)))
  }
  const literalKinds = [SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral, SyntaxKind.TemplateExpression]
  for (const kind of literalKinds) {
    for (const literal of file.getDescendantsOfKind(kind)) {
      if (seen.has(literal) || Node.isTaggedTemplateExpression(literal.getParent())) continue
      if (Node.isImportDeclaration(literal.getParent()) || Node.isExportDeclaration(literal.getParent())) continue
      const parts = partsOf(literal)
      if (parts === undefined || !looksLikeSql.test(parts[0]?.raw ?? "")) continue
      seen.add(literal)
      out.push(make(literal, parts, spansOf(literal)))
    }
  }
  return out
}

/** Which `${…}` of a SQL text an offset of its `text` is at (the number of placeholders before it). */
export const valueAt = (sql: SqlText, offset: number): Node | undefined =>
  sql.text.startsWith(placeholder, offset) ? sql.values[sql.text.slice(0, offset).split(placeholder).length - 1] : undefined

/** The statement around an offset: from the previous `;` (or start) to the next `;` (or end). */
export const statementAt = (text: string, offset: number): { readonly start: number; readonly text: string } => {
  const start = text.lastIndexOf(";", offset - 1) + 1
  const end = text.indexOf(";", offset)
  return { start, text: text.slice(start, end === -1 ? text.length : end) }
}

/** Every statement of a SQL text with its start offset (split on `;`, empty ones dropped). */
export const statements = (text: string): ReadonlyArray<{ readonly start: number; readonly text: string }> => {
  const out: Array<{ start: number; text: string }> = []
  let start = 0
  for (const piece of text.split(";")) {
    if (piece.trim() !== "") out.push({ start, text: piece })
    start += piece.length + 1
  }
  return out
}

/** The first keyword of a statement, upper-cased (`UPDATE`, `CREATE`…). */
export const leadingKeyword = (statement: string): string => (/^[\s(]*([A-Za-z]+)/.exec(statement)?.[1] ?? "").toUpperCase()
