/**
 * The logger of the `berth` command: `BERTH_LOG_FORMAT=json` → one JSON object per line (production, log shippers);
 * `pretty` → Effect's pretty logger; unset → pretty on a terminal, JSON otherwise. `BERTH_LOG_LEVEL` (default `Info`)
 * sets the minimum level.
 */
import { Config, Effect, Layer, Logger, LogLevel, Option } from "effect"

export type LogFormat = "json" | "pretty"

export const chooseFormat = (configured: Option.Option<string>, isTty: boolean): LogFormat =>
  Option.match(configured, {
    onNone: () => (isTty ? "pretty" : "json"),
    onSome: (f) => (f.trim().toLowerCase() === "json" ? "json" : f.trim().toLowerCase() === "pretty" ? "pretty" : isTty ? "pretty" : "json")
  })

/**
 * `BERTH_LOG_LEVEL`, any case; unset → INFO. Like every setting (§1), a value Berth cannot use is ignored with a
 * warning rather than a refusal to start.
 */
export const chooseLevel = (raw: string): { readonly level: LogLevel.LogLevel; readonly warning: Option.Option<string> } => {
  const label = raw.trim().toUpperCase()
  const named = LogLevel.allLevels.find((l) => l.label === label)
  if (named !== undefined) return { level: named, warning: Option.none() }
  const warning = label === "" ? Option.none() : Option.some(`BERTH_LOG_LEVEL=${JSON.stringify(raw)} is not a log level, using INFO`)
  return { level: LogLevel.Info, warning }
}

export const layer = Layer.unwrapEffect(Effect.gen(function* () {
  const format = chooseFormat(yield* Config.option(Config.string("BERTH_LOG_FORMAT")), process.stdout.isTTY === true)
  const level = chooseLevel(yield* Config.string("BERTH_LOG_LEVEL").pipe(Config.withDefault("")))
  if (Option.isSome(level.warning)) yield* Effect.logWarning(level.warning.value)
  return Layer.merge(
    format === "json" ? Logger.json : Logger.pretty,
    Logger.minimumLogLevel(level.level)
  )
}))
