/**
 * Image reference parsing and moving-tag classification (contract §9.5).
 */

/** A parsed `[registry[:port]/]repository[:tag][@digest]`. */
export interface ImageRef {
  readonly registry: string | undefined
  readonly repository: string
  readonly tag: string | undefined
  readonly digest: string | undefined
}

/** Tags that move: re-pulling them may yield a different image. */
export const MOVING_TAGS: ReadonlyArray<string> = ["latest", "staging", "main", "dev", "edge", "nightly", "rolling"]

/** Parse an image reference; never fails (an odd reference is just a repository). */
export const parse = (ref: string): ImageRef => {
  const at = ref.indexOf("@")
  const digest = at >= 0 ? ref.slice(at + 1) : undefined
  const name = at >= 0 ? ref.slice(0, at) : ref
  // The tag is after the LAST ':' only if it contains no '/', so a registry port is never a tag.
  const colon = name.lastIndexOf(":")
  const hasTag = colon >= 0 && !name.slice(colon + 1).includes("/")
  const tag = hasTag ? name.slice(colon + 1) : undefined
  const path = hasTag ? name.slice(0, colon) : name
  const slash = path.indexOf("/")
  const first = slash >= 0 ? path.slice(0, slash) : ""
  const isRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")
  return {
    registry: isRegistry ? first : undefined,
    repository: isRegistry ? path.slice(slash + 1) : path,
    tag,
    digest
  }
}

/** True iff re-pulling may change the image: no digest and tag absent or in MOVING_TAGS. When in doubt: pinned. */
export const isMovingTag = (ref: string): boolean => {
  if (ref.includes("@sha256:")) return false
  const parsed = parse(ref)
  if (parsed.digest !== undefined) return false
  return parsed.tag === undefined || MOVING_TAGS.includes(parsed.tag)
}
