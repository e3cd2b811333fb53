import { ProvisionTimeout } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Duration } from "effect"

const t = (id: string, runtime: string, s: number | undefined) => ({ id, runtime, provisionTimeoutSeconds: s })
const secs = (r: ProvisionTimeout.Resolved) => Duration.toSeconds(r.duration)

describe("ProvisionTimeout.resolve", () => {
  const templates = [t("a", "hermes", 1200), t("b", "hermes", 600), t("c", "codex", 90), t("d", "hermes", -5)]
  it("env beats everything", () => {
    const r = ProvisionTimeout.resolve("45", "hermes", templates)
    expect([secs(r), r.source]).toEqual([45, "env"])
  })
  it("invalid env falls through with a reason", () => {
    for (const raw of ["0", "-3", "abc", "1.5", "12s"]) {
      const r = ProvisionTimeout.resolve(raw, "codex", templates)
      expect([secs(r), r.source]).toEqual([90, "template"])
      expect(r.ignored[0]).toContain("PROVISION_TIMEOUT_SECONDS")
    }
  })
  it("largest positive template value for the runtime beats the hermes default", () => {
    const r = ProvisionTimeout.resolve(undefined, "hermes", templates)
    expect([secs(r), r.source]).toEqual([1200, "template"])
    expect(r.ignored).toEqual(["template d: provision_timeout_seconds=-5 is not positive"])
  })
  it("hermes default 30 min, otherwise 10 min", () => {
    expect(secs(ProvisionTimeout.resolve("", "hermes", []))).toBe(1800)
    expect(ProvisionTimeout.resolve(undefined, "hermes", [t("x", "codex", 5)]).source).toBe("runtime_default")
    const r = ProvisionTimeout.resolve(undefined, "openclaw", templates)
    expect([secs(r), r.source]).toEqual([600, "default"])
  })
})
