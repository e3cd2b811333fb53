/**
 * Runtime allowlist and sanitising (contract §2.2). Pure: loading the manifest file is an adapter's job.
 */
import { Context, Either, Schema } from "effect"

/** The meta-runtime that never gets a container or machine; always allowed. */
export const EXTERNAL = "external"

/** The runtime used everywhere a runtime is absent: column default, create without runtime, NULL reads. */
export const DEFAULT_RUNTIME = "claude-code"

/** Built-in allowlist used when no manifest.json is found (plus `external`). */
export const FALLBACK_RUNTIMES: ReadonlyArray<string> = ["claude-code", "hermes", "openclaw", "codex"]

/** The allowed runtime names. */
export type Allowlist = ReadonlySet<string>

/** The fallback allowlist: built-in names plus `external`. */
export const fallbackAllowlist: Allowlist = new Set([...FALLBACK_RUNTIMES, EXTERNAL])

/** Shape of manifest.json: `{"workspace_templates":[{"name":"claude-code-default"},…]}`. */
export const Manifest = Schema.Struct({
  workspace_templates: Schema.Array(Schema.Struct({ name: Schema.String }))
})

/** Allowlist from a parsed manifest.json: names with trailing `-default` removed, plus `external`. */
export const allowlistFromManifest = (json: unknown): Either.Either<Allowlist, string> =>
  Schema.decodeUnknownEither(Manifest)(json).pipe(
    Either.mapLeft((e) => e.message),
    Either.map((m) => {
      const names = m.workspace_templates.map((t) => t.name.replace(/-default$/, "")).filter((n) => n !== "")
      return new Set([...names, EXTERNAL])
    })
  )

/** Result of sanitising: the runtime to use, and whether the raw value was rejected (caller logs it). */
export interface Sanitized {
  readonly runtime: string
  readonly rejected: boolean
}

/** §2.2 sanitizeRuntime: trim; empty → claude-code; allowlisted → itself; else rejected → claude-code. */
export const sanitizeRuntime = (allowlist: Allowlist, raw: string): Sanitized => {
  const trimmed = raw.trim()
  if (trimmed === "") return { runtime: DEFAULT_RUNTIME, rejected: false }
  if (trimmed === EXTERNAL || allowlist.has(trimmed)) return { runtime: trimmed, rejected: false }
  return { runtime: DEFAULT_RUNTIME, rejected: true }
}

/** The log line the contract prescribes for a rejected runtime. */
export const rejectedMessage = (raw: string): string =>
  `provisioner: rejected unknown runtime "${raw}", falling back to claude-code`

/** Port: the allowlist in effect for this process. */
export class RuntimeAllowlist extends Context.Tag("@berth/core/RuntimeAllowlist")<RuntimeAllowlist, Allowlist>() {}
