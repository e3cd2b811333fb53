/**
 * Provision-timeout resolution (contract §7.5), shared by the sweeper and `provision_timeout_ms` so they agree.
 */
import { Duration } from "effect"
import { parsePositiveInt } from "./Settings.js"

/** What the resolver needs from a template: its runtime and declared provision timeout, if any. */
export interface TemplateTimeout {
  readonly id: string
  readonly runtime: string
  readonly provisionTimeoutSeconds: number | undefined
}

/** Which precedence level produced the deadline. */
export type Source = "env" | "template" | "runtime_default" | "default"

/** A resolved deadline, with reasons for values that were ignored on the way. */
export interface Resolved {
  readonly duration: Duration.Duration
  readonly source: Source
  readonly ignored: ReadonlyArray<string>
}

/** Default for runtime `hermes`. */
export const HERMES_DEFAULT = Duration.minutes(30)
/** Default for every other runtime. */
export const DEFAULT = Duration.minutes(10)

const positiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0

/** Resolve: PROVISION_TIMEOUT_SECONDS > largest positive template value for the runtime > hermes 30 min > 10 min. */
export const resolve = (
  envRaw: string | undefined,
  runtime: string,
  templates: ReadonlyArray<TemplateTimeout>
): Resolved => {
  const ignored: Array<string> = []
  if (envRaw !== undefined && envRaw.trim() !== "") {
    const n = parsePositiveInt(envRaw)
    if (n !== undefined) return { duration: Duration.seconds(n), source: "env", ignored }
    ignored.push(`PROVISION_TIMEOUT_SECONDS=${JSON.stringify(envRaw)} is not a positive integer`)
  }
  let best = 0
  for (const t of templates) {
    if (t.runtime !== runtime || t.provisionTimeoutSeconds === undefined) continue
    if (positiveInt(t.provisionTimeoutSeconds)) best = Math.max(best, t.provisionTimeoutSeconds)
    else ignored.push(`template ${t.id}: provision_timeout_seconds=${t.provisionTimeoutSeconds} is not positive`)
  }
  if (best > 0) return { duration: Duration.seconds(best), source: "template", ignored }
  if (runtime === "hermes") return { duration: HERMES_DEFAULT, source: "runtime_default", ignored }
  return { duration: DEFAULT, source: "default", ignored }
}
