import type { Finding } from "../Finding.js"
import { resolvesTo, specifiers } from "../Imports.js"
import { findingAt } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"

const gate = "hexagonal-boundary" as const

/** `packages/<name>/…` → `<name>`. */
const packageOf = (relPath: string): string | undefined => /^packages\/([^/]+)\//.exec(relPath)?.[1]

/**
 * Contract §10.1 and STYLE §3: dependencies point inward. Core imports only `effect` (no `node:*`, no other
 * package, no adapters or http, no relative path leaving core); nothing but http imports http (`@berth/http` or a
 * relative path into `packages/http`).
 */
export const hexagonalBoundary = (scan: Scan): ReadonlyArray<Finding> => {
  const core = new Set(targetFiles(scan, gate, "coreModules", scan.options.coreModules))
  if (core.size === 0) return [noTarget(scan, gate, "coreModules", showGlobs(scan.options.coreModules))]
  const findings: Array<Finding> = []
  for (const file of scan.files) {
    const rel = scan.rel(file)
    const pkg = packageOf(rel)
    if (pkg === undefined) continue
    for (const { node, value } of specifiers(file)) {
      const relative = value.startsWith(".")
      const target = resolvesTo(rel, value)
      const targetPkg = target === undefined ? undefined : packageOf(target)
      if (core.has(file)) {
        const ok = relative ? targetPkg === "core" : value === "effect" || value.startsWith("effect/")
        if (!ok) {
          findings.push(findingAt(scan, gate, node,
            `core imports "${value}": core may import only "effect" (and its own modules); move this to an adapter behind a port`))
        }
        continue
      }
      const intoHttp = value === "@berth/http" || value.startsWith("@berth/http/") || (relative && targetPkg === "http")
      if (pkg !== "http" && intoHttp) {
        findings.push(findingAt(scan, gate, node,
          `${pkg} imports "${value}": nothing imports the http package; move the shared piece into core (or adapters)`))
      }
    }
  }
  return findings
}
