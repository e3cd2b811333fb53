import { WorkspaceFields } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"

const msg = <A>(eff: Effect.Effect<A, { message: string }>) =>
  Effect.map(Effect.either(eff), (e) => (Either.isLeft(e) ? e.left.message : "ok"))

describe("WorkspaceFields", () => {
  it.effect("rule 2", () =>
    Effect.gen(function* () {
      const cases: Array<[WorkspaceFields.CreateFields, string]> = [
        [{ name: "ok", role: "r", model: "a/b", runtime: "hermes", tier: 4, budgetLimit: 0 }, "ok"],
        [{ name: "a\nb" }, "invalid workspace fields"],
        [{ name: "a", role: "x\r" }, "invalid workspace fields"],
        [{ name: "a", model: "m\n" }, "invalid workspace fields"],
        [{ name: "a", runtime: "r\n" }, "invalid workspace fields"],
        ...["{", "}", "[", "]", "|", ">", "*", "&", "!"].map((c): [WorkspaceFields.CreateFields, string] => [{ name: `a${c}` }, "invalid workspace fields"]),
        [{ name: "a", role: "x&y" }, "invalid workspace fields"],
        [{ name: "a", model: "model: {x}" }, "ok"],
        [{ name: "x".repeat(255) }, "ok"],
        [{ name: "x".repeat(256) }, "invalid workspace fields"],
        [{ name: "é".repeat(128) }, "invalid workspace fields"],
        [{ name: "a", role: "x".repeat(1001) }, "invalid workspace fields"],
        [{ name: "a", model: "x".repeat(101) }, "invalid workspace fields"],
        [{ name: "a", runtime: "x".repeat(101) }, "invalid workspace fields"],
        [{ name: "a", tier: 5 }, "invalid workspace fields"],
        [{ name: "a", tier: -1 }, "invalid workspace fields"],
        [{ name: "a", budgetLimit: -1 }, "invalid workspace fields"],
        [{ name: "a", budgetLimit: Number.MAX_SAFE_INTEGER }, "ok"],
        [{ name: "a", budgetLimit: Number.MAX_SAFE_INTEGER + 2 }, "invalid workspace fields"],
        [{ name: "a", maxConcurrentTasks: 2_147_483_647 }, "ok"],
        [{ name: "a", maxConcurrentTasks: 2_147_483_648 }, "invalid workspace fields"]
      ]
      for (const [f, m] of cases) expect(yield* msg(WorkspaceFields.validateFields(f))).toBe(m)
    }))
  it.effect("template path shape", () =>
    Effect.gen(function* () {
      for (const t of ["hermes-default", "a/b"]) expect(yield* msg(WorkspaceFields.validateTemplatePath(t))).toBe("ok")
      for (const t of ["/etc", "../x", "a/../../b", ".."]) expect(yield* msg(WorkspaceFields.validateTemplatePath(t))).toBe("invalid template")
    }))
  it.effect("delivery mode", () =>
    Effect.gen(function* () {
      expect(yield* WorkspaceFields.normaliseDeliveryMode("", "hermes")).toBe("push")
      expect(yield* WorkspaceFields.normaliseDeliveryMode(undefined, "external")).toBe("poll")
      expect(yield* WorkspaceFields.normaliseDeliveryMode("push", "external")).toBe("push")
      expect(yield* msg(WorkspaceFields.normaliseDeliveryMode("pull", "hermes"))).toBe("delivery_mode must be 'push' or 'poll'")
    }))
  it.effect("workspace dir and access", () =>
    Effect.gen(function* () {
      expect(yield* WorkspaceFields.validateWorkspaceDir("/home/me/proj", "read_write")).toEqual({ dir: "/home/me/proj", access: "read_write" })
      expect(yield* WorkspaceFields.validateWorkspaceDir(undefined, undefined)).toEqual({ dir: undefined, access: "none" })
      expect(yield* msg(WorkspaceFields.validateWorkspaceDir("/usrdata", "none"))).toBe("ok")
      for (const d of ["rel/x", "/home/../etc", "/etc", "/usr/local", "/var/lib/x", "/proc"]) {
        expect(yield* msg(WorkspaceFields.validateWorkspaceDir(d, undefined))).toBe("invalid workspace directory")
      }
      expect(yield* msg(WorkspaceFields.validateWorkspaceDir(undefined, "read_only"))).toBe("invalid workspace access")
      expect(yield* msg(WorkspaceFields.validateWorkspaceDir("/srv/x", "all"))).toBe("invalid workspace access")
    }))
  it("normalises tier and max_concurrent_tasks", () => {
    expect([0, undefined, 2].map(WorkspaceFields.normaliseTier)).toEqual([3, 3, 2])
    expect([0, -3, undefined, 4].map(WorkspaceFields.normaliseMaxConcurrentTasks)).toEqual([1, 1, 1, 4])
  })
})
