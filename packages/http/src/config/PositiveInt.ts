/** A numeric setting read under the contract's rule (§1): unset → the default; set but unusable → a warning and the default. */
import { Settings } from "@berth/core"
import { Config, Effect } from "effect"

export const positiveInt = (name: string, fallback: number): Effect.Effect<number> =>
  Effect.gen(function* () {
    const raw = (yield* Effect.orElseSucceed(Config.string(name), () => "")).trim()
    if (raw === "") return fallback
    const n = Settings.parsePositiveInt(raw)
    if (n !== undefined) return n
    yield* Effect.logWarning(Settings.invalidPositiveInt(name, raw, fallback))
    return fallback
  })
