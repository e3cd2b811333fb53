/**
 * The contract's rule for numeric settings (§1): invalid values warn and fall back. Pure: the composition root reads
 * the environment and applies these; core reads none.
 */

/** A trimmed raw value as a positive integer (digits only, like Go's `ParseInt`: no `1e3`, `0x10`, `+5`), else undefined. */
export const parsePositiveInt = (raw: string): number | undefined => {
  const text = raw.trim()
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** The warning for a set value that is not a positive integer (one wording for every setting). */
export const invalidPositiveInt = (name: string, raw: string, fallback: number): string =>
  `${name}=${JSON.stringify(raw)} is not a positive integer, using ${fallback}`
