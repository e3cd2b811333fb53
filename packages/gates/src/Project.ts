import * as fs from "node:fs"
import * as path from "node:path"
import { Node, Project as TsProject } from "ts-morph"
import type { CallExpression, SourceFile } from "ts-morph"
import type { Finding, GateId } from "./Finding.js"
import type { ResolvedOptions } from "./Options.js"
import type { TargetUse } from "./Targets.js"

/** A project loaded once and shared by every gate: its parsed files, options and path helpers. */
export interface Scan {
  readonly root: string
  readonly files: ReadonlyArray<SourceFile>
  readonly options: ResolvedOptions
  /** Path of a source file relative to the root, `/`-separated (what findings print). */
  readonly rel: (file: SourceFile) => string
  /** The scanned source file at a root-relative path, if any. */
  readonly file: (relPath: string) => SourceFile | undefined
  /** Absolute path of a root-relative path (for non-TypeScript inputs such as shell scripts). */
  readonly abs: (relPath: string) => string
  /** What each gate targeted, filled in as the gates run (see `Targets.ts`). */
  readonly targets: Array<TargetUse>
}

const toPosix = (p: string): string => p.split(path.sep).join("/")

/**
 * Parses the project's TypeScript once. No tsconfig is read and no type checker is built: every gate is a
 * syntactic check, which keeps a run of the whole tree within a few seconds.
 */
export const loadProject = (projectPath: string, options: ResolvedOptions): Scan => {
  const root = path.resolve(projectPath)
  if (!fs.existsSync(root)) throw new Error(`gates: project path ${root} does not exist`)
  const project = new TsProject({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: false, noEmit: true }
  })
  const globs = [
    ...options.include.map((g) => toPosix(path.join(root, g))),
    "!**/*.d.ts",
    "!**/node_modules/**",
    ...options.exclude.map((g) => "!" + toPosix(path.join(root, g)))
  ]
  project.addSourceFilesAtPaths(globs)
  const files = project.getSourceFiles().slice().sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()))
  const rel = (file: SourceFile): string => toPosix(path.relative(root, file.getFilePath()))
  const byRel = new Map(files.map((f) => [rel(f), f] as const))
  return {
    root,
    files,
    options,
    rel,
    file: (relPath) => byRel.get(toPosix(path.normalize(relPath))),
    abs: (relPath) => path.join(root, relPath),
    targets: []
  }
}

/** A finding at a node's first line. */
export const findingAt = (scan: Scan, gate: GateId, node: Node, message: string): Finding => ({
  gate,
  file: scan.rel(node.getSourceFile()),
  line: node.getStartLineNumber(),
  message
})

/** A finding at an absolute position of a file. */
export const findingAtPos = (scan: Scan, gate: GateId, file: SourceFile, pos: number, message: string): Finding => ({
  gate,
  file: scan.rel(file),
  line: file.getLineAndColumnAtPos(pos).line,
  message
})

/** The file name without folder and `.ts`. */
export const baseName = (file: SourceFile): string => file.getBaseNameWithoutExtension()

/** The called name: `f` in `f(x)`, `stop` in `a.b.stop(x)`. */
export const calleeName = (call: CallExpression): string | undefined => {
  const callee = call.getExpression()
  if (Node.isIdentifier(callee)) return callee.getText()
  if (Node.isPropertyAccessExpression(callee)) return callee.getName()
  return undefined
}

/** The last name of the receiver: `provisioner` in `this.provisioner.stop(x)`; undefined for plain calls. */
export const receiverName = (call: CallExpression): string | undefined => {
  const callee = call.getExpression()
  if (!Node.isPropertyAccessExpression(callee)) return undefined
  const receiver = callee.getExpression()
  if (Node.isIdentifier(receiver)) return receiver.getText()
  if (Node.isPropertyAccessExpression(receiver)) return receiver.getName()
  if (Node.isThisExpression(receiver)) return "this"
  return undefined
}

export const isFunctionLike = (node: Node): boolean =>
  Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isArrowFunction(node) ||
  Node.isMethodDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isConstructorDeclaration(node)

/**
 * The name a function is known by in its module: its declared name, or the variable / property it initializes,
 * looking through wrappers such as `Effect.fn("x")(function* () {…})`.
 */
export const functionName = (fn: Node): string | undefined => {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName()
  let node: Node = fn
  for (let parent = node.getParent(); parent !== undefined; node = parent, parent = parent.getParent()) {
    if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent)) return parent.getName()
    const wraps = Node.isCallExpression(parent) || Node.isParenthesizedExpression(parent) ||
      Node.isAsExpression(parent) || Node.isSatisfiesExpression(parent)
    if (!wraps) return undefined
    // Only through call *arguments* and the callee chain of `Effect.fn(…)(…)`, not into unrelated expressions.
    if (Node.isCallExpression(parent) && !parent.getArguments().includes(node) && parent.getExpression() !== node) {
      return undefined
    }
  }
  return undefined
}

/** Function-like ancestors of a node, innermost first. */
export const enclosingFunctions = (node: Node): ReadonlyArray<Node> => node.getAncestors().filter(isFunctionLike)

/** The statement-level declaration a node sits in (a top-level function, variable statement or class). */
export const topLevelOf = (node: Node): Node => {
  let current = node
  for (let parent = current.getParent(); parent !== undefined && !Node.isSourceFile(parent); parent = parent.getParent()) {
    current = parent
  }
  return current
}

/** Does a root-relative file exist (for inputs that are not TypeScript)? */
export const exists = (scan: Scan, relPath: string): boolean => fs.existsSync(scan.abs(relPath))
