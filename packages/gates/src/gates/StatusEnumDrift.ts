import * as fs from "node:fs"
import * as path from "node:path"
import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile, StringLiteral } from "ts-morph"
import type { Finding } from "../Finding.js"
import type { Note } from "../Finding.js"
import { calleeName, findingAt } from "../Project.js"
import type { Scan } from "../Project.js"
import { placeholder, sqlTexts } from "../Sql.js"
import { readCoreStatuses } from "../Statuses.js"
import { noTarget, recordTarget } from "../Targets.js"

const gate = "status-enum-drift" as const

/** The enum as the migrations leave it, or what stands in the way of knowing it. */
type EnumState =
  | { readonly kind: "none"; readonly mention: { readonly file: string; readonly line: number } | undefined }
  | { readonly kind: "derived"; readonly file: string; readonly line: number }
  | { readonly kind: "literal"; readonly file: string; readonly line: number; readonly values: ReadonlyArray<string> }
  | { readonly kind: "underived"; readonly file: string; readonly line: number }

interface MigrationText {
  readonly file: string
  readonly text: string
  readonly lineAt: (offset: number) => number
  /** The migration module refers to core's `statuses` (so an interpolated enum body is derived from it). */
  readonly usesCoreList: boolean
}

const lineCounter = (content: string) => (offset: number): number => content.slice(0, offset).split("\n").length

/** SQL of the migrations in file order: TypeScript modules through the AST, `.sql` files as they are. */
const migrationTexts = (scan: Scan): ReadonlyArray<MigrationText> => {
  const dir = scan.options.migrationsDir.replace(/\/+$/, "") + "/"
  const out: Array<{ readonly order: string; readonly text: MigrationText }> = []
  for (const file of scan.files) {
    const rel = scan.rel(file)
    if (!rel.startsWith(dir)) continue
    const usesCoreList = file.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === "statuses")
    const texts = sqlTexts(file).slice().sort((a, b) => a.node.getStart() - b.node.getStart())
    for (const sql of texts) {
      out.push({ order: rel, text: { file: rel, text: sql.text, lineAt: (o) => file.getLineAndColumnAtPos(sql.posAt(o)).line, usesCoreList } })
    }
  }
  const absDir = scan.abs(dir)
  if (fs.existsSync(absDir)) {
    for (const name of fs.readdirSync(absDir).filter((n) => n.endsWith(".sql"))) {
      const content = fs.readFileSync(path.join(absDir, name), "utf8")
      out.push({ order: dir + name, text: { file: dir + name, text: content, lineAt: lineCounter(content), usesCoreList: false } })
    }
  }
  return out.sort((a, b) => a.order.localeCompare(b.order)).map((m) => m.text)
}

const createEnum = /CREATE\s+TYPE\s+(?:\w+\.)?"?workspace_status"?\s+AS\s+ENUM\s*\(([^)]*)\)/gi
const addValue = /ALTER\s+TYPE\s+(?:\w+\.)?"?workspace_status"?\s+ADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?'([^']*)'(?:\s+(BEFORE|AFTER)\s+'([^']*)')?/gi
const renameValue = /ALTER\s+TYPE\s+(?:\w+\.)?"?workspace_status"?\s+RENAME\s+VALUE\s+'([^']*)'\s+TO\s+'([^']*)'/gi
const quotedValues = (body: string): ReadonlyArray<string> => [...body.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "")

/** Replays CREATE TYPE / ADD VALUE / RENAME VALUE on `workspace_status` across the migrations, in order. */
const enumFromMigrations = (migrations: ReadonlyArray<MigrationText>): EnumState => {
  let state: EnumState = { kind: "none", mention: undefined }
  for (const m of migrations) {
    const events = [
      ...[...m.text.matchAll(createEnum)].map((x) => ({ at: x.index, apply: (): EnumState => {
        const body = x[1] ?? ""
        const line = m.lineAt(x.index)
        if (body.includes(placeholder)) {
          return m.usesCoreList ? { kind: "derived", file: m.file, line } : { kind: "underived", file: m.file, line }
        }
        return { kind: "literal", file: m.file, line, values: quotedValues(body) }
      } })),
      ...[...m.text.matchAll(addValue)].map((x) => ({ at: x.index, apply: (): EnumState => {
        if (state.kind !== "literal") return state
        const value = x[1] ?? ""
        if (state.values.includes(value)) return state
        const values = [...state.values]
        const anchor = x[3] === undefined ? -1 : values.indexOf(x[3])
        if (anchor === -1) values.push(value)
        else values.splice(x[2]?.toUpperCase() === "BEFORE" ? anchor : anchor + 1, 0, value)
        return { ...state, values }
      } })),
      ...[...m.text.matchAll(renameValue)].map((x) => ({ at: x.index, apply: (): EnumState =>
        state.kind === "literal" ? { ...state, values: state.values.map((v) => (v === x[1] ? x[2] ?? v : v)) } : state
      }))
    ].sort((a, b) => a.at - b.at)
    for (const event of events) state = event.apply()
    if (state.kind === "none" && state.mention === undefined) {
      const at = m.text.search(/workspace_status/i)
      if (at !== -1) state = { kind: "none", mention: { file: m.file, line: m.lineAt(at) } }
    }
  }
  return state
}

/** Is this expression where a status is read: `status`, `x.status`? */
const isStatusRef = (node: Node): boolean =>
  (Node.isIdentifier(node) && node.getText() === "status") ||
  (Node.isPropertyAccessExpression(node) && node.getName() === "status")

const comparisonOps = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken,
  SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken])

/**
 * String literals in the positions where code writes or compares a status: `x.status === "…"`, `case "…"` of a
 * `switch (x.status)`, `{ status: "…" }` and `["…"].includes(x.status)`. (Arguments of the status-writing function
 * are typed with core's `WorkspaceStatus`, so the compiler already checks them.)
 */
const statusPositions = (file: SourceFile): ReadonlyArray<StringLiteral> => {
  const out: Array<StringLiteral> = []
  const literalsOf = (node: Node | undefined): void => {
    if (node === undefined) return
    if (Node.isStringLiteral(node)) out.push(node)
    else if (Node.isArrayLiteralExpression(node)) node.getElements().forEach(literalsOf)
    else if (Node.isAsExpression(node) || Node.isParenthesizedExpression(node)) literalsOf(node.getExpression())
  }
  for (const bin of file.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (!comparisonOps.has(bin.getOperatorToken().getKind())) continue
    if (isStatusRef(bin.getLeft())) literalsOf(bin.getRight())
    if (isStatusRef(bin.getRight())) literalsOf(bin.getLeft())
  }
  for (const sw of file.getDescendantsOfKind(SyntaxKind.SwitchStatement)) {
    if (!isStatusRef(sw.getExpression())) continue
    for (const clause of sw.getCaseBlock().getClauses()) {
      if (Node.isCaseClause(clause)) literalsOf(clause.getExpression())
    }
  }
  for (const prop of file.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
    if (prop.getName().replace(/^["']|["']$/g, "") === "status") literalsOf(prop.getInitializer())
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const name = calleeName(call) ?? ""
    const callee = call.getExpression()
    if (name === "includes" && Node.isPropertyAccessExpression(callee) && call.getArguments().some(isStatusRef)) {
      literalsOf(callee.getExpression())
    }
  }
  return out
}

/**
 * Contract §10.3: the `workspace_status` enum left by the migrations equals core's `statuses` (derived from it, or
 * literally equal), and every status string the code writes or compares is one of core's statuses (or one of the
 * documented non-workspace status words).
 */
export const statusEnumDrift = (scan: Scan, notes: Array<Note>): ReadonlyArray<Finding> => {
  const core = readCoreStatuses(scan, gate)
  if (core === undefined) return [noTarget(scan, gate, "statusModule", scan.options.statusModule)]
  const findings: Array<Finding> = []
  const coreFile = scan.rel(core.file)
  if (core.values.length === 0) {
    return [{ gate, file: coreFile, line: core.line, message: "cannot read core's statuses: declare `export const statuses = [\"provisioning\", …] as const` with string literals" }]
  }
  const list = core.values.join(", ")
  const migrations = migrationTexts(scan)
  recordTarget(scan, gate, "migrationsDir", [scan.options.migrationsDir], [...new Set(migrations.map((m) => m.file))])
  if (migrations.length === 0) return [noTarget(scan, gate, "migrationsDir", `no SQL in ${scan.options.migrationsDir}`)]
  const state = enumFromMigrations(migrations)
  switch (state.kind) {
    case "none":
      if (state.mention === undefined) findings.push(noTarget(scan, gate, "migrationsDir", `no workspace_status enum in ${scan.options.migrationsDir}`))
      else findings.push({ gate, ...state.mention, message: "workspace_status is used but no migration creates it: add `CREATE TYPE workspace_status AS ENUM (…)` derived from core's statuses" })
      break
    case "underived":
      findings.push({ gate, file: state.file, line: state.line, message: "the workspace_status enum is interpolated but its module never refers to core's `statuses`: build it from `WorkspaceStatus.statuses`" })
      break
    case "literal": {
      const missing = core.values.filter((v) => !state.values.includes(v))
      const extra = state.values.filter((v) => !core.values.includes(v))
      const reordered = missing.length === 0 && extra.length === 0 && state.values.join() !== core.values.join()
      if (missing.length > 0 || extra.length > 0 || reordered) {
        const what = [
          missing.length > 0 ? `missing ${missing.join(", ")}` : "",
          extra.length > 0 ? `not in core: ${extra.join(", ")}` : "",
          reordered ? "order differs" : ""
        ].filter((s) => s !== "").join("; ")
        findings.push({ gate, file: state.file, line: state.line,
          message: `the workspace_status enum differs from core's statuses (${what}): add a migration (ALTER TYPE workspace_status ADD VALUE …) or fix ${coreFile} (${list})` })
      }
      break
    }
    case "derived":
      notes.push({ gate, message: `workspace_status enum derived from core's statuses (${state.file}:${state.line})` })
      break
  }
  const allowed = new Set([...core.values, ...scan.options.otherStatusWords])
  const migrationsPrefix = scan.options.migrationsDir.replace(/\/+$/, "") + "/"
  for (const file of scan.files) {
    if (file === core.file || scan.rel(file).startsWith(migrationsPrefix)) continue
    for (const literal of statusPositions(file)) {
      const value = literal.getLiteralValue()
      if (allowed.has(value)) continue
      findings.push(findingAt(scan, gate, literal,
        `"${value}" is not a workspace status: use one of core's statuses (${list}), or add it to ${coreFile} with a migration`))
    }
  }
  return findings
}
