/**
 * Globs over root-relative, `/`-separated paths, as the gate targets are written: `**` (any folders, possibly none),
 * `*` and `?` (within one name), `{a,b}` (alternatives). Small on purpose: the gates need nothing more, and a
 * dependency for it would be one more thing to keep in step.
 */
const toSource = (glob: string): string => {
  let out = ""
  let depth = 0
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i)
    if (c === "*" && glob.charAt(i + 1) === "*") {
      const slash = glob.charAt(i + 2) === "/"
      out += slash ? "(?:[^/]+/)*" : ".*"
      i += slash ? 2 : 1
    } else if (c === "*") out += "[^/]*"
    else if (c === "?") out += "[^/]"
    else if (c === "{") { depth++; out += "(?:" }
    else if (c === "}" && depth > 0) { depth--; out += ")" }
    else if (c === "," && depth > 0) out += "|"
    else out += c.replace(/[.+^$()|[\]\\]/g, "\\$&")
  }
  return out
}

export const globToRegExp = (glob: string): RegExp => new RegExp(`^${toSource(glob)}$`)

/** Does a root-relative path match any of the globs? */
export const matchesAny = (globs: ReadonlyArray<string>) => {
  const patterns = globs.map(globToRegExp)
  return (relPath: string): boolean => patterns.some((p) => p.test(relPath))
}
