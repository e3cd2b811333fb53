import { RuntimeModelEnv } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"

describe("RuntimeModelEnv", () => {
  it("sets MODEL for every runtime, HERMES_DEFAULT_MODEL only for hermes", () => {
    expect(RuntimeModelEnv.applyRuntimeModelEnv({}, "claude-code", "a/b")).toEqual({ MODEL: "a/b" })
    expect(RuntimeModelEnv.applyRuntimeModelEnv({}, "hermes", "a/b")).toEqual({ MODEL: "a/b", HERMES_DEFAULT_MODEL: "a/b" })
  })
  it("falls back to MODEL_PROVIDER, else sets nothing, without mutating the input", () => {
    const env = { MODEL_PROVIDER: "x/y" }
    expect(RuntimeModelEnv.applyRuntimeModelEnv(env, "codex", "")).toEqual({ MODEL_PROVIDER: "x/y", MODEL: "x/y" })
    expect(env).toEqual({ MODEL_PROVIDER: "x/y" })
    expect(RuntimeModelEnv.applyRuntimeModelEnv({ A: "1" }, "hermes", "")).toEqual({ A: "1" })
  })
})
