import type { Finding } from "../Finding.js"
import { findingAt, findingAtPos } from "../Project.js"
import type { Scan } from "../Project.js"
import { leadingKeyword, sqlTexts, statementAt } from "../Sql.js"
import { quotedAlternation, readCoreStatuses } from "../Statuses.js"

const gate = "bound-status-writes" as const

/** Schema statements define the enum, column defaults and partial-index predicates: they are not status writes. */
const ddl = new Set(["CREATE", "ALTER", "DROP", "COMMENT"])

/**
 * Contract §10.2: SQL text never contains a quoted workspace-status value (`'online'`…), whether in
 * `UPDATE … SET`, `INSERT … VALUES`, `ON CONFLICT … SET` or a filter. SQL text is every `sql` tagged template, the
 * first argument of `unsafe`/`query`/`exec`, and any string that starts like a statement. Comments are ignored, and
 * so are DDL statements.
 */
export const boundStatusWrites = (scan: Scan): ReadonlyArray<Finding> => {
  const core = readCoreStatuses(scan)
  if (core === undefined) return []
  if (core.values.length === 0) {
    return [findingAt(scan, gate, core.file.getFirstChildOrThrow(), `cannot read core's statuses: declare \`export const statuses = ["provisioning", …] as const\``)]
  }
  const quoted = quotedAlternation(core.values)
  const findings: Array<Finding> = []
  for (const file of scan.files) {
    for (const sql of sqlTexts(file)) {
      for (const match of sql.text.matchAll(quoted)) {
        const offset = match.index
        if (ddl.has(leadingKeyword(statementAt(sql.text, offset).text))) continue
        findings.push(findingAtPos(scan, gate, file, sql.posAt(offset),
          `SQL text contains the status literal ${match[0]}: bind it as a parameter (\${status}) through the repository's status-writing function`))
      }
    }
  }
  return findings
}
