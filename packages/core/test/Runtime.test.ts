import { Runtime } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"

describe("Runtime", () => {
  it("builds the allowlist from manifest names minus -default, plus external", () => {
    const r = Runtime.allowlistFromManifest({ workspace_templates: [{ name: "claude-code-default" }, { name: "hermes" }] })
    expect(Either.isRight(r) && [...r.right].sort()).toEqual(["claude-code", "external", "hermes"])
  })
  it("rejects a malformed manifest", () => {
    expect(Either.isLeft(Runtime.allowlistFromManifest({ workspace_templates: "x" }))).toBe(true)
  })
  it("fallback has 5 entries", () => {
    expect(Runtime.fallbackAllowlist.size).toBe(5)
  })
  it.each([
    ["", "claude-code", false],
    ["  ", "claude-code", false],
    [" hermes ", "hermes", false],
    ["external", "external", false],
    ["../etc", "claude-code", true],
    ["Hermes", "claude-code", true],
    ["x\nmodel: y", "claude-code", true]
  ])("sanitize %j", (raw, runtime, rejected) => {
    expect(Runtime.sanitizeRuntime(Runtime.fallbackAllowlist, raw)).toEqual({ runtime, rejected })
  })
  it("message", () => {
    expect(Runtime.rejectedMessage("x")).toBe('provisioner: rejected unknown runtime "x", falling back to claude-code')
  })
})
