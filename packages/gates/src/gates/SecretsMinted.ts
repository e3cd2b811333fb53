import { Node, SyntaxKind } from "ts-morph"
import type { CallExpression, SourceFile } from "ts-morph"
import type { Finding } from "../Finding.js"
import { calleeName, enclosingFunctions, findingAt, functionName, receiverName } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, recordTarget } from "../Targets.js"

const gate = "secrets-minted-on-every-provision" as const

/**
 * Is a mint-secrets call made before `node` on its path? Yes when, inside the outermost function enclosing `node`,
 * a call to the mint step comes earlier in the text; otherwise when `node` sits in a named function of this module
 * and every place that calls it has a mint before it (followed through callers, cycles stop the search).
 */
const mintedBefore = (file: SourceFile, node: Node, mint: RegExp, visited: Set<Node>): boolean => {
  const fns = enclosingFunctions(node)
  const outer = fns[fns.length - 1]
  if (outer === undefined) return false
  const mintCalls = outer.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => mint.test(calleeName(c) ?? ""))
  if (mintCalls.some((c) => c.getStart() < node.getStart())) return true
  const named = fns.find((fn) => functionName(fn) !== undefined)
  const name = named === undefined ? undefined : functionName(named)
  if (named === undefined || name === undefined || visited.has(named)) return false
  visited.add(named)
  const callers = file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((c) => {
    if (named.containsRange(c.getPos(), c.getEnd())) return false
    const callee = c.getExpression()
    return (Node.isIdentifier(callee) && callee.getText() === name) ||
      (Node.isPropertyAccessExpression(callee) && callee.getName() === name)
  })
  return callers.length > 0 && callers.every((c) => mintedBefore(file, c, mint, visited))
}

const isStart = (call: CallExpression, provisioners: RegExp): boolean =>
  calleeName(call) === "start" && provisioners.test(receiverName(call) ?? "")

/**
 * Contract §10.7 / §8.1 step 4: every path that starts a workload mints its secrets first. Rule: for each
 * `<provisioner>.start(…)` (receiver named like `provisionerNames`), a call to the mint step (`mintSecrets`) comes
 * before it in the same function, or in every caller of that function within the module.
 */
export const secretsMinted = (scan: Scan): ReadonlyArray<Finding> => {
  const findings: Array<Finding> = []
  const starts = new Set<string>()
  for (const file of scan.files) {
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (!isStart(call, scan.options.provisionerNames)) continue
      starts.add(scan.rel(file))
      if (mintedBefore(file, call, scan.options.mintSecrets, new Set())) continue
      findings.push(findingAt(scan, gate, call,
        `${call.getExpression().getText()}(…) starts a workload without minting its secrets first: call mintSecrets (revoke tokens, new token and inbound secret, §8.1 step 4) before it`))
    }
  }
  recordTarget(scan, gate, "provisionerNames", [scan.options.provisionerNames.source], [...starts])
  if (starts.size === 0) {
    findings.push(noTarget(scan, gate, "provisionerNames", `no \`<provisioner>.start(…)\` call with a receiver matching ${scan.options.provisionerNames}`))
  }
  return findings
}
