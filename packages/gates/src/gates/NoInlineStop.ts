import { Node, SyntaxKind } from "ts-morph"
import type { CallExpression } from "ts-morph"
import { backgroundOf } from "../Background.js"
import type { Finding } from "../Finding.js"
import { calleeName, findingAt } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"

const gate = "no-inline-stop-in-restart" as const

/** A provisioner stop: `x.stop(…)`, a destructured `stop(…)`, or the CP retry helper `cpStopWithRetry(…)`. */
export const isStopCall = (call: CallExpression): boolean => {
  const name = calleeName(call)
  return name === "stop" || name === "cpStopWithRetry"
}

/**
 * Contract §10.5 / §5.6: the restart request answers at once and stops the old workload in the background. Rule, in
 * every restart module (`restartModules`): each stop call (`x.stop(…)`, `stop(…)`,
 * `cpStopWithRetry(…)`) sits in a background program (see `backgroundOf`: a forked program, a `…Cycle` function,
 * or a private helper used only from those), and every `…Cycle` function is itself only run from a forked program.
 */
export const noInlineStop = (scan: Scan): ReadonlyArray<Finding> => {
  const modules = targetFiles(scan, gate, "restartModules", scan.options.restartModules)
  if (modules.length === 0) return [noTarget(scan, gate, "restartModules", showGlobs(scan.options.restartModules))]
  const findings: Array<Finding> = []
  for (const file of modules) {
    const background = backgroundOf(file, scan.options.backgroundFunctions)
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (!isStopCall(call) || background.inBackground(call)) continue
      findings.push(findingAt(scan, gate, call,
        `${call.getExpression().getText()}(…) runs inline in the restart request: move it into the restart cycle the handler forks (Effect.fork*/FiberMap.run)`))
    }
    for (const { name, ref } of background.namedBackgroundRefs) {
      if (background.inBackground(ref)) continue
      const at = Node.isPropertyAccessExpression(ref.getParent()) ? ref.getParentOrThrow() : ref
      findings.push(findingAt(scan, gate, at,
        `${name} is run inline, so its stop blocks the request: fork it (Effect.fork*/FiberMap.run) and answer at once`))
    }
  }
  return findings
}
