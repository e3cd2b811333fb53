import * as path from "node:path"
import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"
import type { Finding } from "../Finding.js"
import { findingAt } from "../Project.js"
import type { Scan } from "../Project.js"

const gate = "hexagonal-boundary" as const

/** Every module specifier of a file: static imports and re-exports, `import("…")`, `require("…")`, `import x = require`. */
const specifiers = (file: SourceFile): ReadonlyArray<{ readonly node: Node; readonly value: string }> => {
  const out: Array<{ node: Node; value: string }> = []
  for (const decl of file.getImportDeclarations()) out.push({ node: decl, value: decl.getModuleSpecifierValue() })
  for (const decl of file.getExportDeclarations()) {
    const value = decl.getModuleSpecifierValue()
    if (value !== undefined) out.push({ node: decl, value })
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression()
    const dynamic = callee.getKind() === SyntaxKind.ImportKeyword || (Node.isIdentifier(callee) && callee.getText() === "require")
    const first = call.getArguments()[0]
    if (dynamic && first !== undefined && Node.isStringLiteral(first)) out.push({ node: call, value: first.getLiteralValue() })
  }
  for (const decl of file.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    const ref = decl.getModuleReference()
    if (Node.isExternalModuleReference(ref)) {
      const expr = ref.getExpression()
      if (expr !== undefined && Node.isStringLiteral(expr)) out.push({ node: decl, value: expr.getLiteralValue() })
    }
  }
  return out
}

/** `packages/<name>/…` → `<name>`. */
const packageOf = (relPath: string): string | undefined => /^packages\/([^/]+)\//.exec(relPath)?.[1]

/**
 * Contract §10.1 and STYLE §3: dependencies point inward. Core imports only `effect` (no `node:*`, no other
 * package, no adapters or http, no relative path leaving core); nothing but http imports http (`@berth/http` or a
 * relative path into `packages/http`).
 */
export const hexagonalBoundary = (scan: Scan): ReadonlyArray<Finding> => {
  const findings: Array<Finding> = []
  for (const file of scan.files) {
    const rel = scan.rel(file)
    const pkg = packageOf(rel)
    if (pkg === undefined) continue
    for (const { node, value } of specifiers(file)) {
      const relative = value.startsWith(".")
      const target = relative ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), value)) : undefined
      const targetPkg = target === undefined ? undefined : packageOf(target)
      if (pkg === "core") {
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
