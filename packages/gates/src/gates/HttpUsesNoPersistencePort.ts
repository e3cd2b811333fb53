import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"
import type { Finding } from "../Finding.js"
import { namesPackage, pointsInto, resolvesTo } from "../Imports.js"
import { findingAt } from "../Project.js"
import type { Scan } from "../Project.js"
import { noTarget, showGlobs, targetFiles } from "../Targets.js"

const gate = "http-uses-no-persistence-port" as const

/** A port is a tag class: `export class X extends Context.Tag(…)<…>() {}` (or an `Effect.Service`, a `Context.Reference`). */
const isTagClass = /^(?:Context\.(?:Tag|Reference)|Effect\.Service)\b/

/** Core's persistence ports: every tag class exported from a port module, less the ports that are not persistence. */
const persistencePorts = (ports: ReadonlyArray<SourceFile>, others: ReadonlySet<string>): ReadonlySet<string> =>
  new Set(ports.flatMap((file) => file.getClasses().flatMap((cls) => {
    const name = cls.getName()
    const base = cls.getExtends()?.getText() ?? ""
    return cls.isExported() && name !== undefined && isTagClass.test(base) && !others.has(name) ? [name] : []
  })))

const message = (name: string): string =>
  `http uses the persistence port ${name}: move the rule into a core service and call that, so the driver only decodes, calls and maps errors`

/**
 * Issue 16 point 2: the HTTP driver is thin. Rule: no module of `httpModules` imports a persistence port of core —
 * by name (`import { WorkspaceStore } from "@berth/core"`, type-only too, or a re-export), through a namespace
 * (`Core.WorkspaceStore` after `import * as Core from "@berth/core"`), or by a relative path into a port module. The
 * ports are derived from `portModules` (every exported tag class) minus `nonPersistencePorts`.
 */
export const httpUsesNoPersistencePort = (scan: Scan): ReadonlyArray<Finding> => {
  const { httpModules, portModules, nonPersistencePorts } = scan.options
  const http = targetFiles(scan, gate, "httpModules", httpModules)
  const portFiles = targetFiles(scan, gate, "portModules", portModules)
  if (http.length === 0) return [noTarget(scan, gate, "httpModules", showGlobs(httpModules))]
  const ports = persistencePorts(portFiles, new Set(nonPersistencePorts))
  if (ports.size === 0) return [noTarget(scan, gate, "portModules", `no persistence port class in ${showGlobs(portModules)}`)]
  const portPaths = portFiles.map(scan.rel)
  const findings: Array<Finding> = []
  for (const file of http) {
    const rel = scan.rel(file)
    const fromCore = (value: string): boolean => {
      const target = resolvesTo(rel, value)
      return target === undefined ? namesPackage(value, "@berth/core") : pointsInto(target, portPaths)
    }
    for (const decl of file.getImportDeclarations()) {
      if (!fromCore(decl.getModuleSpecifierValue())) continue
      for (const named of decl.getNamedImports()) {
        if (ports.has(named.getName())) findings.push(findingAt(scan, gate, named, message(named.getName())))
      }
      const namespace = decl.getNamespaceImport()?.getText()
      if (namespace === undefined) continue
      for (const access of file.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
        const target = access.getExpression()
        if (Node.isIdentifier(target) && target.getText() === namespace && ports.has(access.getName())) {
          findings.push(findingAt(scan, gate, access, message(access.getName())))
        }
      }
      for (const qualified of file.getDescendantsOfKind(SyntaxKind.QualifiedName)) {
        if (qualified.getLeft().getText() === namespace && ports.has(qualified.getRight().getText())) {
          findings.push(findingAt(scan, gate, qualified, message(qualified.getRight().getText())))
        }
      }
    }
    for (const decl of file.getExportDeclarations()) {
      const value = decl.getModuleSpecifierValue()
      if (value === undefined || !fromCore(value)) continue
      for (const named of decl.getNamedExports()) {
        if (ports.has(named.getName())) findings.push(findingAt(scan, gate, named, message(named.getName())))
      }
    }
  }
  return findings
}
