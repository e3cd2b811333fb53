import { Node, SyntaxKind } from "ts-morph"
import type { Finding } from "../Finding.js"
import { calleeName, enclosingFunctions, findingAt, functionName, receiverName } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"

const gate = "cp-stop-only-through-retry" as const

const dockerReceiver = /docker/i
const cpReceiver = /^cp|Cp/

const isKind = (text: string, op: "eq" | "ne", kind: "docker" | "cp"): boolean =>
  new RegExp(`kind\\s*${op === "eq" ? "===?" : "!==?"}\\s*["'\`]${kind}["'\`]`).test(text)

/** A condition that, when true, means "the active provisioner is Docker". */
const meansDocker = (cond: string): boolean => isKind(cond, "eq", "docker") || isKind(cond, "ne", "cp")
/** A condition that, when false, means "the active provisioner is Docker". */
const meansNotDocker = (cond: string): boolean => isKind(cond, "eq", "cp") || isKind(cond, "ne", "docker")

/**
 * Is this node only reached when the provisioner is Docker? Recognised guards on `<x>.kind`: the branches of
 * `if`/`?:`, the right side of `&&`, and `case "docker":` of a `switch (<x>.kind)`.
 */
const dockerOnly = (node: Node): boolean => {
  let child = node
  for (let parent = node.getParent(); parent !== undefined; child = parent, parent = parent.getParent()) {
    if (Node.isIfStatement(parent)) {
      const cond = parent.getExpression().getText()
      if (parent.getThenStatement() === child && meansDocker(cond)) return true
      if (parent.getElseStatement() === child && meansNotDocker(cond)) return true
    }
    if (Node.isConditionalExpression(parent)) {
      const cond = parent.getCondition().getText()
      if (parent.getWhenTrue() === child && meansDocker(cond)) return true
      if (parent.getWhenFalse() === child && meansNotDocker(cond)) return true
    }
    if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken &&
      parent.getRight() === child && meansDocker(parent.getLeft().getText())) return true
    if (Node.isCaseClause(parent)) {
      const sw = parent.getFirstAncestorByKind(SyntaxKind.SwitchStatement)
      const label = parent.getExpression()
      if (sw !== undefined && /kind$/.test(sw.getExpression().getText()) && Node.isStringLiteral(label) &&
        label.getLiteralValue() === "docker") return true
    }
  }
  return false
}

/**
 * Contract §10.6 / §8.4: in restart and auto-restart modules, the CP provisioner is stopped only by
 * `cpStopWithRetry(id, source)`. Rule: every `x.stop(…)` there is inside a function named `cpStopWithRetry`, or on
 * a Docker-named receiver (`docker…`), or on the generic provisioner under a guard that it is Docker
 * (`kind === "docker"`, `kind !== "cp"`, the else of `kind === "cp"`, `case "docker":`). A `cp…` receiver never passes.
 */
export const cpStopOnlyThroughRetry = (scan: Scan): ReadonlyArray<Finding> => {
  const modules = targetFiles(scan, gate, "restartModules", scan.options.restartModules)
  if (modules.length === 0) return [noTarget(scan, gate, "restartModules", showGlobs(scan.options.restartModules))]
  const findings: Array<Finding> = []
  for (const file of modules) {
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (calleeName(call) !== "stop") continue
      if (enclosingFunctions(call).some((fn) => functionName(fn) === "cpStopWithRetry")) continue
      const receiver = receiverName(call) ?? ""
      if (!cpReceiver.test(receiver) && (dockerReceiver.test(receiver) || dockerOnly(call))) continue
      findings.push(findingAt(scan, gate, call,
        `${call.getExpression().getText()}(…) may stop the CP provisioner directly: call cpStopWithRetry(id, "Restart" | "Auto-restart") for CP, and stop containers through a \`docker…\`-named receiver (or under a \`kind === "docker"\` guard)`))
    }
  }
  return findings
}
