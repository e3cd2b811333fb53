/**
 * Generated default config.yaml (contract §9.4), used when neither the named template nor `<runtime>-default` exists.
 */
import { DEFAULT_RUNTIME, sanitizeRuntime, type Allowlist } from "./Runtime.js"

/** Input of the generator: the create payload's name, role, runtime and model. */
export interface DefaultConfigInput {
  readonly name: string
  readonly role: string
  readonly runtime: string
  readonly model: string
}

// Newlines removed so a value cannot start a new YAML key; quotes/backslashes escaped so the scalar stays closed.
const quote = (s: string): string => `"${s.replace(/[\r\n]/g, "").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`

/** Default model: payload model, else `sonnet` for claude-code, else `anthropic:claude-opus-4-7`. */
export const defaultModel = (runtime: string, model: string): string =>
  model !== "" ? model : runtime === DEFAULT_RUNTIME ? "sonnet" : "anthropic:claude-opus-4-7"

/** The config.yaml text; runtime is sanitised against the allowlist and written unquoted. */
export const render = (allowlist: Allowlist, input: DefaultConfigInput): string => {
  const runtime = sanitizeRuntime(allowlist, input.runtime).runtime
  return [
    `name: ${quote(input.name)}`,
    `description: ${quote(input.role)}`,
    "version: 1.0.0",
    "tier: 3",
    `runtime: ${runtime}`,
    `model: ${quote(defaultModel(runtime, input.model))}`,
    "runtime_config:",
    "  timeout: 0",
    ""
  ].join("\n")
}
