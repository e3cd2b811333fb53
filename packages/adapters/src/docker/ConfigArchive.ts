/**
 * Tar archives for `putArchive` into `/configs` (contract §8.2 step 8), built with `tar-stream`.
 *
 * Every entry is owned by the workspace user, so the agent can read what Berth wrote even at mode 0600; the secret
 * files (`.auth_token`, `.platform_inbound_secret`) get 0600, other generated files 0644, and template files keep
 * their own permission bits. Names are relative to the extraction directory; a name that would land outside it is
 * refused.
 */
import { Data, Effect } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { buffer } from "node:stream/consumers"
import tar from "tar-stream"
import type { FileOwner } from "./DockerConfig.js"

/** Files only the workspace user may read. */
export const SECRET_FILES: ReadonlySet<string> = new Set([".auth_token", ".platform_inbound_secret"])

/** Building an archive failed (unreadable template, a name outside `/configs`). */
export class ArchiveError extends Data.TaggedError("ArchiveError")<{ readonly message: string }> {}

/** One archive entry; names are relative to the extraction directory. */
export type Entry =
  | { readonly type: "directory"; readonly name: string; readonly mode: number }
  | { readonly type: "file"; readonly name: string; readonly mode: number; readonly content: Buffer }
  | { readonly type: "symlink"; readonly name: string; readonly target: string }

/** A name relative to the extraction directory, or an error when it would escape it. */
const relativeName = (name: string): string => {
  const normalized = path.posix.normalize(name.replaceAll("\\", "/"))
  if (normalized === "." || normalized.startsWith("../") || normalized === ".." || path.posix.isAbsolute(normalized)) {
    throw new Error(`refusing file name ${JSON.stringify(name)}: outside the target directory`)
  }
  return normalized
}

/** A tar of `entries`, every one owned by `owner`. */
export const pack = (entries: ReadonlyArray<Entry>, owner: FileOwner): Promise<Buffer> => {
  const archive = tar.pack()
  const ids = { uid: owner.uid, gid: owner.gid }
  for (const entry of entries) {
    if (entry.type === "file") archive.entry({ name: entry.name, mode: entry.mode, ...ids }, entry.content)
    else if (entry.type === "directory") archive.entry({ name: entry.name, type: "directory", mode: entry.mode, ...ids })
    else archive.entry({ name: entry.name, type: "symlink", linkname: entry.target, ...ids })
  }
  archive.finalize()
  return buffer(archive)
}

const build = (f: () => Promise<ReadonlyArray<Entry>>, owner: FileOwner): Effect.Effect<Buffer, ArchiveError> =>
  Effect.tryPromise({
    try: async () => pack(await f(), owner),
    catch: (error) => new ArchiveError({ message: error instanceof Error ? error.message : String(error) })
  })

/** Generated files by name (`config.yaml`, `plugins/x.yaml`, `.auth_token`…), with their parent directories. */
export const fromFiles = (files: Readonly<Record<string, string>>, owner: FileOwner): Effect.Effect<Buffer, ArchiveError> =>
  build(async () => {
    const entries: Array<Entry> = []
    const directories = new Set<string>()
    for (const [raw, content] of Object.entries(files)) {
      const name = relativeName(raw)
      const parents = name.split("/").slice(0, -1)
      parents.forEach((_, i) => {
        const directory = parents.slice(0, i + 1).join("/")
        if (!directories.has(directory)) entries.push({ type: "directory", name: directory, mode: 0o755 })
        directories.add(directory)
      })
      const mode = SECRET_FILES.has(path.posix.basename(name)) ? 0o600 : 0o644
      entries.push({ type: "file", name, mode, content: Buffer.from(content, "utf8") })
    }
    return entries
  }, owner)

const walk = async (root: string, relative: string, entries: Array<Entry>): Promise<void> => {
  for (const dirent of await fs.readdir(path.join(root, relative), { withFileTypes: true })) {
    const name = relative === "" ? dirent.name : `${relative}/${dirent.name}`
    const full = path.join(root, name)
    if (dirent.isDirectory()) {
      entries.push({ type: "directory", name, mode: (await fs.stat(full)).mode & 0o777 })
      await walk(root, name, entries)
    } else if (dirent.isFile()) {
      const [stat, content] = await Promise.all([fs.stat(full), fs.readFile(full)])
      entries.push({ type: "file", name, mode: stat.mode & 0o777, content })
    } else if (dirent.isSymbolicLink()) {
      entries.push({ type: "symlink", name, target: await fs.readlink(full) })
    }
    // Sockets, FIFOs and devices have no place in a template and are skipped.
  }
}

/** A template directory's contents (not the directory itself), recursively. */
export const fromDirectory = (directory: string, owner: FileOwner): Effect.Effect<Buffer, ArchiveError> =>
  build(async () => {
    const entries: Array<Entry> = []
    await walk(directory, "", entries)
    return entries
  }, owner)
