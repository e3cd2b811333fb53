/**
 * What the bootstrap watcher's report of a failed start stores (§5.12): byte-capped with the end kept (the end of a
 * log is what explains the failure). Core has no `Buffer`, so UTF-8 lengths are counted here, with the same result
 * as slicing the encoded bytes and decoding them again.
 */

/** The watcher's tail and the stored sample error keep at most this many bytes. */
export const MAX_BYTES = 8192

const REPLACEMENT = "\uFFFD"

const isLoneSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff

/** UTF-8 length of one code point (a lone surrogate is encoded as U+FFFD, 3 bytes). */
const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)

/** The last `max` bytes of a UTF-8 string; a character cut in two leaves one U+FFFD per byte kept of it. */
export const lastBytes = (text: string, max = MAX_BYTES): string => {
  const points = Array.from(text)
  let budget = max
  let kept = ""
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!
    const cp = point.codePointAt(0)!
    const size = utf8Length(cp)
    if (size > budget) return REPLACEMENT.repeat(budget) + kept
    budget -= size
    kept = (isLoneSurrogate(cp) ? REPLACEMENT : point) + kept
  }
  return text // it fitted whole
}

/** `last_sample_error`: the error, then the tail, within the byte cap. */
export const sampleError = (error: string, tail: string): string =>
  lastBytes(tail === "" ? error : error === "" ? tail : `${error}\n${tail}`)
