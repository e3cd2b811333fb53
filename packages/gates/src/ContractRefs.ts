import * as fs from "node:fs"
import * as path from "node:path"
import { matchesAny } from "./Glob.js"

/**
 * `§` references against the contract's headings. Code and READMEs cite the behaviour contract as `§5.11`; every
 * cited number must be the number of a heading in the contract documents (`## §5.11 Registry`), so a reader can
 * always follow a citation.
 */

/** A file's path (root-relative) and text. */
export interface TextFile {
  readonly path: string
  readonly text: string
}

/** One citation: the number, and where it stands. */
export interface ContractRef {
  readonly ref: string
  readonly file: string
  readonly line: number
}

const number = String.raw`\d+(?:\.\d+)*`
/** `§5.11`, and the end of a range such as `§7.1–7.3` (whose second number has no `§` of its own). */
const citation = new RegExp(String.raw`§(${number})(?:\s*[–-]\s*(${number}))?`, "g")
const heading = new RegExp(String.raw`^#{1,6}\s+§(${number})\b`, "gm")

/** The section numbers the contract documents give a heading. */
export const contractHeadings = (docs: ReadonlyArray<TextFile>): ReadonlySet<string> =>
  new Set(docs.flatMap((doc) => [...doc.text.matchAll(heading)].map((m) => m[1] ?? "")))

/** Every citation in the files, range ends included. */
export const contractRefs = (files: ReadonlyArray<TextFile>): ReadonlyArray<ContractRef> =>
  files.flatMap((file) => file.text.split("\n").flatMap((text, i) =>
    [...text.matchAll(citation)].flatMap((m) => [m[1], m[2]].flatMap((ref) =>
      ref === undefined ? [] : [{ ref, file: file.path, line: i + 1 }]))))

/** The citations whose number has no heading. */
export const unresolvedRefs = (docs: ReadonlyArray<TextFile>, files: ReadonlyArray<TextFile>): ReadonlyArray<ContractRef> => {
  const headings = contractHeadings(docs)
  return contractRefs(files).filter((r) => !headings.has(r.ref))
}

/** Folders never walked: installs, builds, VCS data. */
const skipped = new Set(["node_modules", "dist", ".git", ".work"])

/** Files under `root` whose root-relative path matches the globs and none of the exclusions, read as text. */
export const readTextFiles = (
  root: string, globs: ReadonlyArray<string>, exclude: ReadonlyArray<string> = []
): ReadonlyArray<TextFile> => {
  const wanted = matchesAny(globs)
  const unwanted = matchesAny(exclude)
  const out: Array<TextFile> = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue
      const full = path.join(dir, entry.name)
      const rel = path.relative(root, full).split(path.sep).join("/")
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && wanted(rel) && !unwanted(rel)) out.push({ path: rel, text: fs.readFileSync(full, "utf8") })
    }
  }
  if (fs.existsSync(root)) walk(root)
  return out.sort((a, b) => a.path.localeCompare(b.path))
}
