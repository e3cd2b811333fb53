import { Node, SyntaxKind } from "ts-morph"
import type { SourceFile } from "ts-morph"
import { functionName, isFunctionLike } from "./Project.js"

/** Effect combinators that run their argument on a fiber of its own. */
const forkNames = new Set(["fork", "forkDaemon", "forkScoped", "forkIn", "forkWithErrorHandler", "forkAll", "runFork"])
/** `FiberMap.run(map, key, effect)` and its kin fork too (STYLE §4: per-workspace jobs live in a FiberMap). */
const runReceivers = /^(FiberMap|FiberSet|FiberHandle)$/

const isForkCallee = (callee: Node): boolean => {
  if (Node.isIdentifier(callee)) return forkNames.has(callee.getText())
  if (!Node.isPropertyAccessExpression(callee)) return false
  const name = callee.getName()
  return forkNames.has(name) || (name === "run" && runReceivers.test(callee.getExpression().getText()))
}

/** `Effect.fork` as a pipeable (`x.pipe(Effect.fork)`), or a data-last call (`Effect.forkIn(scope)`). */
const isForkStep = (arg: Node): boolean =>
  Node.isCallExpression(arg) ? isForkCallee(arg.getExpression()) : isForkCallee(arg)

/** Is `child` (a direct child of `parent`) the program a fork in `parent` runs? */
const forkedBy = (child: Node, parent: Node): boolean => {
  // `x.pipe(…, Effect.fork)`: x is the receiver of the `pipe` property access the call is made on.
  if (Node.isPropertyAccessExpression(parent) && parent.getName() === "pipe" && parent.getExpression() === child) {
    const call = parent.getParent()
    return Node.isCallExpression(call) && call.getExpression() === parent && call.getArguments().some(isForkStep)
  }
  if (!Node.isCallExpression(parent)) return false
  const args = parent.getArguments()
  if (isForkCallee(parent.getExpression()) && args.includes(child)) return true
  const callee = parent.getExpression()
  const forkAt = args.findIndex(isForkStep)
  if (forkAt === -1) return false
  // `x.pipe(a, b, Effect.fork)` and `pipe(x, a, Effect.fork)`: every step before the fork is part of the program.
  const isPipe = (Node.isPropertyAccessExpression(callee) && callee.getName() === "pipe") ||
    (Node.isIdentifier(callee) && callee.getText() === "pipe")
  if (isPipe) {
    const at = args.indexOf(child)
    return at > -1 && at < forkAt
  }
  return false
}

/** Does this reference run the thing where it stands: `f(…)`, `x.f(…)`, `yield* f`, `yield* f(…)`? */
const runsHere = (ref: Node): boolean => {
  const target = Node.isPropertyAccessExpression(ref.getParent()) && ref.getParent()?.getLastChild() === ref
    ? ref.getParentOrThrow()
    : ref
  const parent = target.getParent()
  return (Node.isCallExpression(parent) && parent.getExpression() === target) || Node.isYieldExpression(parent)
}

/** A function declared by name at some level of a module (candidate for "called only from the background"). */
interface LocalFunction {
  readonly name: string
  readonly node: Node
  readonly exported: boolean
}

const localFunctions = (file: SourceFile): ReadonlyArray<LocalFunction> => {
  const out: Array<LocalFunction> = []
  const exportedNames = new Set(file.getExportDeclarations().flatMap((d) => d.getNamedExports().map((e) => e.getName())))
  for (const fn of file.getDescendants().filter(isFunctionLike)) {
    const name = functionName(fn)
    if (name === undefined) continue
    const decl = fn.getFirstAncestor((a) => Node.isVariableStatement(a) || Node.isFunctionDeclaration(a)) ??
      (Node.isFunctionDeclaration(fn) ? fn : undefined)
    // Property assignments (`{ restart: … }`) are reachable from other modules: never "local".
    const viaProperty = fn.getFirstAncestor((a) => Node.isPropertyAssignment(a) || Node.isMethodDeclaration(a)) !== undefined
    // `hasExportKeyword` and the file's `export { … }` lists, not `isExported()`: that one builds a type checker.
    const exported = viaProperty || decl === undefined || exportedNames.has(name) ||
      ((Node.isVariableStatement(decl) || Node.isFunctionDeclaration(decl)) && decl.hasExportKeyword())
    out.push({ name, node: fn, exported })
  }
  return out
}

/**
 * Decides, for one module, which code runs in a background program. A node is in the background when one of its
 * ancestors is
 * 1. the program of a fork: an argument of `Effect.fork*` / `FiberMap.run` (or `FiberSet`/`FiberHandle`), or the
 *    receiver / a step before `Effect.fork*` in a `pipe`;
 * 2. a function whose name matches `backgroundNames` (e.g. `restartCycle`), a background program by construction;
 * 3. a function of this module, not exported, that has references and all of them are in the background.
 */
export const backgroundOf = (file: SourceFile, backgroundNames: RegExp) => {
  const functions = localFunctions(file)
  const references = new Map<string, ReadonlyArray<Node>>()
  for (const id of file.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent()
    const isDeclName = (Node.isVariableDeclaration(parent) || Node.isFunctionDeclaration(parent)) && parent.getNameNode() === id
    if (isDeclName) continue
    references.set(id.getText(), [...(references.get(id.getText()) ?? []), id])
  }
  const backgroundFns = new Set<Node>(functions.filter((f) => backgroundNames.test(f.name)).map((f) => f.node))

  const inBackground = (node: Node): boolean => {
    let child = node
    for (let parent = node.getParent(); parent !== undefined; child = parent, parent = parent.getParent()) {
      if (forkedBy(child, parent)) return true
      if (backgroundFns.has(parent)) return true
    }
    return false
  }

  // Fixpoint: a private helper called only from background code is background code itself.
  for (let changed = true; changed;) {
    changed = false
    for (const fn of functions) {
      if (fn.exported || backgroundFns.has(fn.node)) continue
      const refs = (references.get(fn.name) ?? []).filter((r) => !fn.node.containsRange(r.getPos(), r.getEnd()))
      if (refs.length > 0 && refs.every(inBackground)) {
        backgroundFns.add(fn.node)
        changed = true
      }
    }
  }
  return {
    inBackground,
    /** References to the by-name background functions (`restartCycle(…)`), which must themselves be forked. */
    namedBackgroundRefs: functions
      .filter((f) => backgroundNames.test(f.name))
      .flatMap((f) => (references.get(f.name) ?? [])
        .filter((r) => !f.node.containsRange(r.getPos(), r.getEnd()) && runsHere(r))
        .map((ref) => ({ name: f.name, ref })))
  }
}
