import * as path from "node:path"
import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"

/** One module specifier and the node that holds it. */
export interface Specifier {
  readonly node: Node
  readonly value: string
}

/** Every module specifier of a file: static imports and re-exports, `import("…")`, `require("…")`, `import x = require`. */
export const specifiers = (file: SourceFile): ReadonlyArray<Specifier> => {
  const out: Array<Specifier> = []
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

/** The root-relative path a relative specifier points at (without extension handling); undefined for packages. */
export const resolvesTo = (fromRel: string, value: string): string | undefined =>
  value.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), value)) : undefined

/** Does a specifier name the package or one of its subpaths (`@berth/core`, `@berth/core/x`)? */
export const namesPackage = (value: string, pkg: string): boolean => value === pkg || value.startsWith(pkg + "/")

const withoutExtension = (p: string): string => p.replace(/\.(?:[mc]?js|[mc]?ts|tsx)$/, "")

/** Does a resolved relative import point at one of these modules (the file itself, or the folder holding it)? */
export const pointsInto = (target: string, modules: ReadonlyArray<string>): boolean => {
  const bare = withoutExtension(target)
  return modules.some((m) => withoutExtension(m) === bare || m.startsWith(bare + "/"))
}
