import { Node } from "ts-morph"
import type { Finding, Note } from "../Finding.js"
import { findingAt, findingAtPos } from "../Project.js"
import type { Scan } from "../Project.js"
import { sqlTexts, statements } from "../Sql.js"
import type { SqlText } from "../Sql.js"
import { noTarget, targetFiles } from "../Targets.js"
import { readTransitionTable } from "../TransitionTable.js"

const gate = "external-exemption" as const

/** Put in a comment just above a statement of any module to have it checked as sweep SQL. */
export const sweepMarker = "@gates-sweep"

const revokesTokens = /\bUPDATE\s+(?:\w+\.)?workspace_auth_tokens\b[\s\S]*?\bSET\b[\s\S]*?\brevoked_at\s*=/i
const marksWorkspaces = /\bUPDATE\s+(?:\w+\.)?workspaces\b[\s\S]*?\bSET\b[\s\S]*?\bstatus\s*=/i
const value = String.raw`(?:'external'|\$__)`
const excludesExternal = new RegExp(
  String.raw`\bruntime\s*(?:<>|!=)\s*${value}|\bruntime\s+IS\s+DISTINCT\s+FROM\s+${value}|\bNOT\s*\(?\s*(?:\w+\.)?runtime\s*=\s*${value}`, "i")
/** Staleness conditions mark a sweep wherever its SQL lives (e.g. in a repository): token age, heartbeat age. */
const staleTokens = /\blast_used_at\b/i
const staleHeartbeat = /\blast_heartbeat_at\b[\w\s,.()]*?\s<\s/i
/** The remote pass (§7.1) is scoped *to* external workspaces on purpose: explicit scoping is also accepted. */
const scopesToExternal = new RegExp(String.raw`(?<![<>!])\bruntime\s*=\s*${value}`, "i")

/**
 * A sweep row's runtime scopes that keep external workspaces out of container sweeps (§2.2): only external rows
 * (`"external"`, the remote pass) or only container rows (`"containers"`), as core's `SweepRuntimes` names them.
 */
const exemptingScopes: ReadonlySet<string> = new Set(["external", "containers"])

/** Sweep rows of core's transition table whose runtime scope is missing, unreadable or includes external rows. */
const unscopedSweepRows = (scan: Scan): { readonly checked: number; readonly findings: ReadonlyArray<Finding> } => {
  const sweeps = (readTransitionTable(scan, gate)?.rows ?? []).filter((row) => row.sweep)
  const findings = sweeps.flatMap((row) => {
    const scope = row.runtimes?.strings
    if (scope !== undefined && scope.length === 1 && exemptingScopes.has(scope[0] ?? "")) return []
    return [findingAt(scan, gate, row.runtimes?.node ?? row.node,
      `sweep row ${row.name} does not exempt external workspaces: give it \`runtimes: "containers"\` (or scope it with \`runtimes: "external"\`)`)]
  })
  return { checked: sweeps.length, findings }
}

/** Is the statement that holds this SQL preceded by the sweep marker comment? */
const marked = (sql: SqlText): boolean => {
  for (let node: Node | undefined = sql.node; node !== undefined && !Node.isSourceFile(node); node = node.getParent()) {
    const comments = node.getLeadingCommentRanges().map((c) => c.getText())
    if (comments.some((c) => c.includes(sweepMarker))) return true
    if (Node.isStatement(node) || Node.isPropertyAssignment(node)) break
  }
  return false
}

/**
 * Contract §2.2, §7.1–7.3: sweeps never revoke an external workspace's tokens nor mark it offline. Rule: in token
 * sweep modules (`tokenSweepModules`) every `UPDATE workspace_auth_tokens … SET revoked_at` statement, and in status
 * sweep modules (`statusSweepModules`) every `UPDATE workspaces … SET status` statement, contains an exclusion of
 * external runtimes (`runtime <> 'external'`, `runtime != $1`, `runtime IS DISTINCT FROM …`); a status update
 * may instead be scoped to them (`runtime = 'external'`, the remote pass). Statements anywhere else are checked too
 * when they carry a sweep's staleness condition (a revocation filtering on `last_used_at`, a status update comparing
 * `last_heartbeat_at <`), or when a comment containing `@gates-sweep` precedes them. Sweeps compiled from core's
 * transition table (`transitionsModule`) carry their scope as data: every sweep row (one with a `clock`) must scope
 * itself with `runtimes: "containers"` or `runtimes: "external"`.
 */
export const externalExemption = (scan: Scan, notes: Array<Note>): ReadonlyArray<Finding> => {
  const table = unscopedSweepRows(scan)
  const findings: Array<Finding> = [...table.findings]
  const tokenSweeps = new Set(targetFiles(scan, gate, "tokenSweepModules", scan.options.tokenSweepModules))
  const statusSweeps = new Set(targetFiles(scan, gate, "statusSweepModules", scan.options.statusSweepModules))
  let revocations = 0
  let marks = 0
  for (const file of scan.files) {
    const tokenSweep = tokenSweeps.has(file)
    const statusSweep = statusSweeps.has(file)
    for (const sql of sqlTexts(file)) {
      const isMarked = marked(sql)
      for (const statement of statements(sql.text)) {
        const revoke = revokesTokens.exec(statement.text)
        if (revoke !== null && (tokenSweep || isMarked || staleTokens.test(statement.text))) {
          revocations++
          if (!excludesExternal.test(statement.text)) {
            findings.push(findingAtPos(scan, gate, file, sql.posAt(statement.start + revoke.index),
              "a sweep revokes tokens without exempting external workspaces: add `runtime <> 'external'` (join workspaces) to this statement"))
          }
        }
        const mark = marksWorkspaces.exec(statement.text)
        if (mark !== null && (statusSweep || isMarked || staleHeartbeat.test(statement.text))) {
          marks++
          if (!excludesExternal.test(statement.text) && !scopesToExternal.test(statement.text)) {
            findings.push(findingAtPos(scan, gate, file, sql.posAt(statement.start + mark.index),
              "a sweep marks workspaces without exempting external ones: add `runtime <> 'external'` to this statement (or scope it with `runtime = 'external'`)"))
          }
        }
      }
    }
  }
  // The statements and sweep rows are the real target: sweep SQL may live in any adapter, found by its staleness
  // condition, or be compiled from a sweep row of the transition table.
  if (revocations === 0) {
    findings.push(noTarget(scan, gate, "tokenSweepModules", "no sweep statement revoking tokens (`UPDATE workspace_auth_tokens … SET revoked_at` in a sweep module, filtering on last_used_at, or marked @gates-sweep)"))
  }
  if (marks + table.checked === 0) {
    findings.push(noTarget(scan, gate, "statusSweepModules", "no sweep marking workspaces (a sweep row of the transition table, or `UPDATE workspaces … SET status` in a sweep module, comparing last_heartbeat_at <, or marked @gates-sweep)"))
  }
  notes.push({ gate, message: `${revocations} token revocation(s), ${marks} status mark(s) and ${table.checked} sweep row(s) of the transition table checked` })
  return findings
}
