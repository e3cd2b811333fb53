import { ProviderDerivation } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"

describe("ProviderDerivation", () => {
  for (const row of ProviderDerivation.providerTable) {
    for (const prefix of row.prefixes) {
      it(`${prefix}/x -> ${row.provider}`, () => {
        expect(ProviderDerivation.deriveProvider(`${prefix}/some-model`)).toBe(row.provider)
      })
    }
  }
  it("marks exactly openai and nousresearch as divergences to openrouter", () => {
    const div = ProviderDerivation.providerTable.filter((r) => r.divergence)
    expect(div.flatMap((r) => r.prefixes)).toEqual(["openai", "nousresearch"])
    expect(div.every((r) => r.provider === "openrouter")).toBe(true)
  })
  it.each([
    ["", ""],
    ["claude-3", ""],
    ["/x", ""],
    ["Anthropic/claude", ""],
    ["OPENAI/gpt", ""],
    ["unknown/model", ""],
    ["anthropic/", "anthropic"],
    ["anthropic/claude/extra", "anthropic"],
    ["auto/x", ""]
  ])("edge %s -> %s", (model, expected) => {
    expect(ProviderDerivation.deriveProvider(model)).toBe(expected)
  })
})
