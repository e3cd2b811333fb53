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

export const layer = Layer.unwrapEffect(Effect.gen(function* () {
  const format = chooseFormat(yield* Config.option(Config.string("BERTH_LOG_FORMAT")), process.stdout.isTTY === true)
  const level = yield* Config.logLevel("BERTH_LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info))
  return Layer.merge(
    format === "json" ? Logger.json : Logger.pretty,
    Logger.minimumLogLevel(level)
  )
}))
