/** Collects log lines (level and text) so tests can assert on the warnings an operation logs. */
import { Logger } from "effect"
import type { Layer } from "effect"

export interface CapturedLine {
  readonly level: string
  readonly text: string
}

/** A logger layer (added beside the others) and the lines it has seen so far. */
export const logCapture = (): { readonly lines: Array<CapturedLine>; readonly layer: Layer.Layer<never> } => {
  const lines: Array<CapturedLine> = []
  const logger = Logger.make(({ logLevel, message }) => {
    const text = (Array.isArray(message) ? message : [message]).map(String).join(" ")
    lines.push({ level: logLevel.label, text })
  })
  return { lines, layer: Logger.add(logger) }
}
