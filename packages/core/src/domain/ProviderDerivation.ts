/**
 * Provider derivation from a model slug (contract §9.1). The table is data so tests can cover every row.
 */

/** One row of the §9.1 table: exact (case-sensitive) prefixes mapping to a provider. */
export interface ProviderRow {
  readonly prefixes: ReadonlyArray<string>
  readonly provider: string
  /** True for rows that knowingly differ from the template's shell derivation (§9.1 "accepted divergence"). */
  readonly divergence: boolean
}

const same = (...prefixes: ReadonlyArray<string>): ReadonlyArray<ProviderRow> =>
  prefixes.map((p) => ({ prefixes: [p], provider: p, divergence: false }))

/** The §9.1 table in contract order. */
export const providerTable: ReadonlyArray<ProviderRow> = [
  ...same("minimax", "minimax-cn", "minimax-oauth", "anthropic", "gemini", "deepseek", "zai"),
  ...same("kimi-coding", "kimi-coding-cn", "qwen-oauth", "alibaba-coding-plan"),
  ...same("ollama-cloud", "kilocode", "opencode-zen", "opencode-go", "openrouter", "custom", "gmi"),
  ...same("google-gemini-cli", "openai-codex", "copilot-acp", "copilot"),
  { prefixes: ["alibaba", "dashscope", "qwen"], provider: "alibaba", divergence: false },
  { prefixes: ["xiaomi", "mimo"], provider: "xiaomi", divergence: false },
  { prefixes: ["arcee", "arcee-ai"], provider: "arcee", divergence: false },
  { prefixes: ["nvidia", "nim"], provider: "nvidia", divergence: false },
  { prefixes: ["huggingface", "hf"], provider: "huggingface", divergence: false },
  { prefixes: ["ai-gateway", "aigateway"], provider: "ai-gateway", divergence: false },
  { prefixes: ["xai", "grok"], provider: "xai", divergence: false },
  { prefixes: ["bedrock", "aws"], provider: "bedrock", divergence: false },
  { prefixes: ["tencent", "tencent-tokenhub"], provider: "tencent-tokenhub", divergence: false },
  { prefixes: ["lmstudio", "lm-studio"], provider: "lmstudio", divergence: false },
  { prefixes: ["openai"], provider: "openrouter", divergence: true },
  { prefixes: ["nousresearch"], provider: "openrouter", divergence: true }
]

const byPrefix: ReadonlyMap<string, string> = new Map(
  providerTable.flatMap((row) => row.prefixes.map((p) => [p, row.provider] as const))
)

/** Provider for a model slug, or "" (never "auto": an unknown provider must not be written). */
export const deriveProvider = (model: string): string => {
  const slash = model.indexOf("/")
  if (slash < 1) return ""
  return byPrefix.get(model.slice(0, slash)) ?? ""
}
