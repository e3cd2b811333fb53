import { Node } from "ts-morph"
import type { SourceFile } from "ts-morph"
import type { Finding } from "../Finding.js"
import { enclosingFunctions, findingAt, findingAtPos, functionName } from "../Project.js"
import type { Scan } from "../Project.js"
import { leadingKeyword, sqlTexts, statementAt } from "../Sql.js"
import type { SqlText } from "../Sql.js"
import { quotedAlternation, readCoreStatuses } from "../Statuses.js"
import { declarationOf, knownString, statusWrites } from "../StatusWrites.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"
import { readTransitionTable } from "../TransitionTable.js"

const gate = "bound-status-writes" as const

/** Schema statements define the enum, column defaults and partial-index predicates: they are not status writes. */
const ddl = new Set(["CREATE", "ALTER", "DROP", "COMMENT"])

const isDdlAt = (sql: SqlText, offset: number): boolean => ddl.has(leadingKeyword(statementAt(sql.text, offset).text))

/** Is the SQL inside one of the repository's status-writing functions (by module and function name)? */
const inStatusWriter = (writerModules: ReadonlySet<SourceFile>, scan: Scan, sql: SqlText): boolean =>
  writerModules.has(sql.node.getSourceFile()) &&
  enclosingFunctions(sql.node).some((fn) => {
    const name = functionName(fn)
    return name !== undefined && scan.options.statusWriters.test(name)
  })

/** `sql.unsafe(x)` whose text the gate cannot read (not a literal, nor a `const` holding one): a blind raw write. */
const unreadableUnsafe = (file: SourceFile, read: ReadonlySet<Node>): ReadonlyArray<Node> =>
  file.getDescendants().flatMap((node) => {
    if (!Node.isCallExpression(node)) return []
    const callee = node.getExpression()
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "unsafe") return []
    const first = node.getArguments()[0]
    if (first === undefined || read.has(first)) return []
    const target = Node.isIdentifier(first) ? declarationOf(first)?.getInitializer() : undefined
    return target !== undefined && read.has(target) ? [] : [node]
  })

/** §2.3: `removed` is terminal, so no row of the transition table may leave it. */
const terminalStatus = (core: NonNullable<ReturnType<typeof readCoreStatuses>>): string => {
  const init = core.file.getVariableDeclaration("terminal")?.getInitializer()
  return init !== undefined && Node.isStringLiteral(init) ? init.getLiteralValue() : "removed"
}

/** Rows of core's transition table naming a status core does not have, or leaving the terminal one. */
const tableFindings = (scan: Scan, known: ReadonlySet<string>, terminal: string): ReadonlyArray<Finding> => {
  const table = readTransitionTable(scan, gate)
  if (table === undefined) return [noTarget(scan, gate, "transitionsModule", scan.options.transitionsModule)]
  return table.rows.flatMap((row) => [
    ...(row.to.strings ?? []).filter((s) => !known.has(s)).map((s) =>
      findingAt(scan, gate, row.to.node, `transition row ${row.name} sets "${s}", which is not one of core's statuses`)),
    ...(row.from.strings ?? []).filter((s) => !known.has(s)).map((s) =>
      findingAt(scan, gate, row.from.node, `transition row ${row.name} leaves "${s}", which is not one of core's statuses`)),
    ...(row.from.strings ?? []).filter((s) => s === terminal).map(() =>
      findingAt(scan, gate, row.from.node, `transition row ${row.name} leaves "${terminal}", which is terminal (§2.3)`))
  ])
}

/**
 * Contract §10.2. (1) SQL text never contains a quoted workspace-status value (`'online'`…), whether in
 * `UPDATE … SET`, `INSERT … VALUES`, `ON CONFLICT … SET` or a filter. (2) Every write of `workspaces.status` lies in
 * one of the repository's status-writing functions, and a value the gate can read there (a literal, a `${"…"}`, a
 * `${x}` naming a string `const`) is one of core's statuses. (3) `sql.unsafe` only runs SQL the gate can read. SQL text
 * is every `sql` tagged template, the first argument of `unsafe`/`query`/`exec`, and any string that starts like a
 * statement. Comments are ignored, and so are DDL statements. (4) Every row of core's transition table
 * (`transitionsModule`) whose `from`/`to` the gate can read names core's statuses and never leaves `removed`.
 */
export const boundStatusWrites = (scan: Scan): ReadonlyArray<Finding> => {
  const core = readCoreStatuses(scan, gate)
  if (core === undefined) return [noTarget(scan, gate, "statusModule", scan.options.statusModule)]
  const writerModules = new Set(targetFiles(scan, gate, "statusWriterModules", scan.options.statusWriterModules))
  if (writerModules.size === 0) {
    return [noTarget(scan, gate, "statusWriterModules", showGlobs(scan.options.statusWriterModules))]
  }
  if (core.values.length === 0) {
    return [findingAt(scan, gate, core.file.getFirstChildOrThrow(), `cannot read core's statuses: declare \`export const statuses = ["provisioning", …] as const\``)]
  }
  const quoted = quotedAlternation(core.values)
  const known = new Set(core.values)
  const findings: Array<Finding> = [...tableFindings(scan, known, terminalStatus(core))]
  for (const file of scan.files) {
    const texts = sqlTexts(file)
    for (const sql of texts) {
      for (const match of sql.text.matchAll(quoted)) {
        if (isDdlAt(sql, match.index)) continue
        findings.push(findingAtPos(scan, gate, file, sql.posAt(match.index),
          `SQL text contains the status literal ${match[0]}: bind it as a parameter (\${status}) through the repository's status-writing function`))
      }
      const writes = statusWrites(sql).filter((w) => !isDdlAt(sql, w.offset))
      const writer = writes.length > 0 && inStatusWriter(writerModules, scan, sql)
      for (const write of writes) {
        if (!writer) {
          findings.push(findingAtPos(scan, gate, file, sql.posAt(write.offset),
            `workspace status written outside the repository's status-writing functions (${scan.options.statusWriters.source} in ${showGlobs(scan.options.statusWriterModules)}): go through its transition, which binds a core status`))
        }
        const value = write.valueOffset === undefined ? undefined : knownString(sql, write.valueOffset)
        if (value !== undefined && !known.has(value)) {
          findings.push(findingAtPos(scan, gate, file, sql.posAt(write.valueOffset ?? write.offset),
            `workspace status written as "${value}", which is not one of core's statuses (${core.values.join(", ")})`))
        }
      }
    }
    for (const call of unreadableUnsafe(file, new Set(texts.map((t) => t.node)))) {
      findings.push(findingAt(scan, gate, call,
        "sql.unsafe runs SQL the gate cannot read: pass a literal (or a const holding one), or use the sql tag with bound values"))
    }
  }
  return findings
}
