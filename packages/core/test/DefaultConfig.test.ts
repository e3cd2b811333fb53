import { DefaultConfig, Runtime } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"

const allow = Runtime.fallbackAllowlist

describe("DefaultConfig", () => {
  it("renders the contract example exactly", () => {
    expect(DefaultConfig.render(allow, { name: "Docs Bot", role: "Summarises papers", runtime: "hermes", model: "minimax/MiniMax-M2.7" })).toBe(
      'name: "Docs Bot"\ndescription: "Summarises papers"\nversion: 1.0.0\ntier: 3\nruntime: hermes\nmodel: "minimax/MiniMax-M2.7"\nruntime_config:\n  timeout: 0\n'
    )
  })
  it("defaults the model per runtime", () => {
    expect(DefaultConfig.render(allow, { name: "a", role: "", runtime: "", model: "" })).toContain('runtime: claude-code\nmodel: "sonnet"')
    expect(DefaultConfig.render(allow, { name: "a", role: "", runtime: "codex", model: "" })).toContain('model: "anthropic:claude-opus-4-7"')
  })
  it("removes newlines and sanitises the runtime so nothing can be injected", () => {
    const out = DefaultConfig.render(allow, { name: "x\nruntime: evil", role: 'say "hi"', runtime: "hermes\nfoo: 1", model: "" })
    expect(out).toContain('name: "xruntime: evil"\n')
    expect(out).toContain('description: "say \\"hi\\""\n')
    expect(out).toContain("runtime: claude-code\n")
    expect(out.split("\n")).toHaveLength(9)
  })
})
