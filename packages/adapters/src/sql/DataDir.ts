/**
 * The embedded database's folder, made ready before PGlite opens it: created level by level (Node's recursive
 * `mkdir` never returns under `/proc`), then proven writable by writing a probe file, all under one deadline. So an
 * unusable `BERTH_DATA_DIR` fails fast with its reason instead of hanging start-up.
 */
import { Effect } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import type { DatabaseUnusable } from "./DatabaseUnusable.js"
import { dataDirUnusable, errorCode } from "./DatabaseUnusable.js"

/** How long the whole check may take: a few file-system calls on a healthy disk. */
export const CHECK_DEADLINE = "5 seconds"

const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** One file-system call, interruptible, its failure named after what it tried. */
const call = <A>(dir: string, what: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => dataDirUnusable(dir, `${what}: ${reasonOf(cause)}`) })

type Found = "directory" | "other" | "missing"

const find = (root: string, dir: string): Effect.Effect<Found, DatabaseUnusable> =>
  Effect.tryPromise({ try: () => fs.stat(dir), catch: (cause) => cause }).pipe(
    Effect.map((info): Found => (info.isDirectory() ? "directory" : "other")),
    Effect.catchAll((cause) =>
      errorCode(cause) === "ENOENT"
        ? Effect.succeed<Found>("missing")
        : Effect.fail(dataDirUnusable(root, `cannot be read: ${reasonOf(cause)}`)))
  )

/** `dir` exists as a directory afterwards, its missing ancestors created first. */
const ensureDirectory = (root: string, dir: string): Effect.Effect<void, DatabaseUnusable> =>
  Effect.gen(function* () {
    const found = yield* find(root, dir)
    if (found === "directory") return
    if (found === "other") return yield* Effect.fail(dataDirUnusable(root, `is not a directory (${dir} is a file)`))
    const parent = path.dirname(dir)
    if (parent !== dir) yield* ensureDirectory(root, parent)
    // EEXIST: created meanwhile (another process starting on the same folder).
    yield* call(root, "cannot be created", () =>
      fs.mkdir(dir).catch((e: unknown) => {
        if (errorCode(e) !== "EEXIST") throw e
      }))
  })

/** Ready `dir` for PGlite: a directory Berth can write, or the reason it is not. */
export const prepare = (dir: string): Effect.Effect<void, DatabaseUnusable> => {
  const absolute = path.resolve(dir)
  const probe = path.join(absolute, `.berth-write-check-${process.pid}`)
  return Effect.gen(function* () {
    yield* ensureDirectory(dir, absolute)
    yield* call(dir, "is not writable", () => fs.writeFile(probe, ""))
    yield* call(dir, "is not writable", () => fs.unlink(probe))
  }).pipe(Effect.timeoutFail({
    duration: CHECK_DEADLINE,
    onTimeout: () => dataDirUnusable(dir, `did not answer within ${CHECK_DEADLINE}`)
  }))
}
