import type { Finding } from "../Finding.js"
import { namesPackage, pointsInto, resolvesTo, specifiers } from "../Imports.js"
import { findingAt } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"

const gate = "testing-kit-apart" as const

/**
 * Issue 16 point 6: fixtures never ship in a service. Rule: no scanned production module outside `testKitModules`
 * imports the test kit, neither by its published name (`testKitSpecifier`, default `@berth/adapters/testing`) nor by
 * a relative path into the kit (which also catches the production entry re-exporting it).
 */
export const testingKitApart = (scan: Scan): ReadonlyArray<Finding> => {
  const { testKitModules, testKitSpecifier } = scan.options
  const kit = new Set(targetFiles(scan, gate, "testKitModules", testKitModules))
  if (kit.size === 0) return [noTarget(scan, gate, "testKitModules", showGlobs(testKitModules))]
  const kitPaths = [...kit].map(scan.rel)
  const findings: Array<Finding> = []
  for (const file of scan.files) {
    if (kit.has(file)) continue
    const rel = scan.rel(file)
    for (const { node, value } of specifiers(file)) {
      const target = resolvesTo(rel, value)
      const intoKit = target === undefined ? namesPackage(value, testKitSpecifier) : pointsInto(target, kitPaths)
      if (!intoKit) continue
      findings.push(findingAt(scan, gate, node,
        `production module imports the test kit ("${value}"): only tests and benches may; move what it needs out of ${showGlobs(testKitModules)}`))
    }
  }
  return findings
}
