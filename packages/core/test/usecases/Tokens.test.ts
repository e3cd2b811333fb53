import { MAX_LIVE_TOKENS, Tokens, tokenPaging } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { newWorkspace, removeWorkspace, tagOf } from "./Fixtures.js"
import { databases } from "./Harness.js"

describe("token list window (§5.12)", () => {
  it("clamps limit to 1–200, defaults garbage, and keeps offset non-negative", () => {
    expect(tokenPaging(undefined, undefined)).toEqual({ limit: 50, offset: 0 })
    expect(tokenPaging("0", "3")).toEqual({ limit: 1, offset: 3 })
    expect(tokenPaging("-5", "-1")).toEqual({ limit: 1, offset: 0 })
    expect(tokenPaging("900", "x")).toEqual({ limit: 200, offset: 0 })
    expect(tokenPaging("abc", undefined)).toEqual({ limit: 50, offset: 0 })
  })
})

for (const db of databases) {
  describe(`Tokens use cases (§5.12, §4.2–4.3) on ${db.name}`, () => {
    layer(Tokens.Default.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })((it) => {
      it.effect("mint, list and revoke; the cap refuses the 51st live token but not the extra test token", () =>
        Effect.gen(function* () {
          const tokens = yield* Tokens
          const id = yield* newWorkspace("tokens")
          const first = yield* tokens.mint(id)
          expect((yield* tokens.list(id, 10, 0)).map((t) => t.id)).toEqual([first.id])
          for (let i = 1; i < MAX_LIVE_TOKENS; i++) yield* tokens.mint(id)
          expect(yield* tagOf(tokens.mint(id))).toBe("TokenLimitReached")
          expect(yield* tagOf(tokens.mintExtra(id))).toBe("ok")
          yield* tokens.revoke(id, first.id.toUpperCase())
          expect(yield* tagOf(tokens.revoke(id, first.id))).toBe("TokenNotFound")
          expect(yield* tagOf(tokens.revoke(id, "not-a-uuid"))).toBe("TokenNotFound")
        }))

      it.effect("a removed or unknown workspace gets no token", () =>
        Effect.gen(function* () {
          const tokens = yield* Tokens
          const id = yield* newWorkspace("removed")
          yield* removeWorkspace(id)
          expect(yield* tagOf(tokens.mint(id))).toBe("WorkspaceNotFound")
          expect(yield* tagOf(tokens.mintExtra(id))).toBe("WorkspaceNotFound")
          expect(yield* tagOf(tokens.mint("00000000-0000-4000-8000-000000000002" as WorkspaceId.WorkspaceId)))
            .toBe("WorkspaceNotFound")
        }))

      it.effect("a bearer is judged for the route's workspace: its own token passes, another's does not", () =>
        Effect.gen(function* () {
          const tokens = yield* Tokens
          const a = yield* newWorkspace("a")
          const b = yield* newWorkspace("b")
          const tokenA = (yield* tokens.mint(a)).token
          expect(yield* tokens.judgeBearer(Option.some(a), tokenA)).toBe("workspace")
          expect(yield* tokens.judgeBearer(Option.some(b), tokenA)).toBe("invalid")
          expect(yield* tokens.judgeBearer(Option.none(), tokenA)).toBe("invalid")
          expect(yield* tokens.belongsTo(a, tokenA)).toBe(true)
          expect(yield* tokens.belongsTo(b, tokenA)).toBe(false)
        }))

      it.effect("AdminAuth tiers: ADMIN_TOKEN, dev fail-open, and the deprecated workspace-token tier", () =>
        Effect.gen(function* () {
          const tokens = yield* Tokens
          const id = yield* newWorkspace("admin-tiers")
          const live = (yield* tokens.mint(id)).token
          const judge = (adminTokenSet: boolean, bearer: string | undefined, bearerIsAdminToken = false, devEnv = false, legacyTiers = true) =>
            tokens.judgeAdmin({ adminTokenSet, legacyTiers, devEnv, bearer: Option.fromNullable(bearer), bearerIsAdminToken })
          expect(yield* judge(false, undefined, false, true)).toBe("allowed")
          expect(yield* judge(true, undefined, false, true)).toBe("required")
          expect(yield* judge(true, "admin", true)).toBe("allowed")
          expect(yield* judge(true, live)).toBe("invalid")
          expect(yield* judge(false, live)).toBe("allowed")
          // BERTH_ADMIN_LEGACY_TIERS=0: without ADMIN_TOKEN neither dev fail-open nor a workspace token passes
          expect(yield* judge(false, undefined, false, true, false)).toBe("required")
          expect(yield* judge(false, live, false, false, false)).toBe("invalid")
          expect(yield* judge(false, "garbage")).toBe("invalid")
          expect(yield* judge(false, undefined)).toBe("required")
        }))
    })
  })
}
