/** Numeric settings read from the environment under the contract's rule (§1): invalid values warn and fall back. */
import { Config, Effect } from "effect"

/** A positive integer setting, or `fallback` (with a warning when set to anything else: not an integer, or ≤ 0). */
export const positiveInt = (name: string, fallback: number): Effect.Effect<number> =>
  Effect.gen(function* () {
    const raw = (yield* Effect.orElseSucceed(Config.string(name), () => "")).trim()
    if (raw === "") return fallback
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN
    if (Number.isSafeInteger(n) && n > 0) return n
    yield* Effect.logWarning(`${name}=${JSON.stringify(raw)} is not a positive integer, using ${fallback}`)
    return fallback
  })
