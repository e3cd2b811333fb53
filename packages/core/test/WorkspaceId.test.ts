import { WorkspaceId } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"

describe("WorkspaceId", () => {
  it.effect("lower-cases a UUID so ids compare equal whatever the client's case", () =>
    Effect.gen(function* () {
      const id = yield* WorkspaceId.parse("3F2504E0-4F89-41D3-9A0C-0305E82C3301")
      expect(id).toBe("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
    }))

  it.effect("rejects what is not UUID-shaped with InvalidWorkspaceId", () =>
    Effect.gen(function* () {
      for (const raw of ["", "abc", "3f2504e0-4f89-41d3-9a0c-0305e82c330", "../etc/passwd", 42]) {
        const exit = yield* Effect.exit(WorkspaceId.parse(raw))
        expect(Exit.isFailure(exit)).toBe(true)
      }
    }))
})
