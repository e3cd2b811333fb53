/** Numeric settings read from the environment under the contract's rule (§1): invalid values warn and fall back. */
import { Config, Effect } from "effect"

/** A trimmed raw value as a positive integer (digits only, like Go's `ParseInt`: no `1e3`, `0x10`, `+5`), else undefined. */
export const parsePositiveInt = (raw: string): number | undefined => {
  const text = raw.trim()
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** The warning for a set value that is not a positive integer (one wording for every setting). */
export const invalidPositiveInt = (name: string, raw: string, fallback: number): string =>
  `${name}=${JSON.stringify(raw)} is not a positive integer, using ${fallback}`

/** A positive integer setting, or `fallback` (with a warning when set to anything else: not an integer, or ≤ 0). */
export const positiveInt = (name: string, fallback: number): Effect.Effect<number> =>
  Effect.gen(function* () {
    const raw = (yield* Effect.orElseSucceed(Config.string(name), () => "")).trim()
    if (raw === "") return fallback
    const n = parsePositiveInt(raw)
    if (n !== undefined) return n
    yield* Effect.logWarning(invalidPositiveInt(name, raw, fallback))
    return fallback
  })
