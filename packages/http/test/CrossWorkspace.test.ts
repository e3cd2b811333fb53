import { Hierarchy, TokenRepository, Tokens, WorkspaceStore } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { crossWorkspaceGuard } from "../src/guards/CrossWorkspace.js"
import { persistence } from "./support/TestServer.js"

const forbidden = "not authorized to diagnose this workspace's terminal"

const create = (name: string, parentId: WorkspaceId.WorkspaceId | null) =>
  Effect.flatMap(WorkspaceStore, (r) => r.create({
    name, role: null, tier: 1, runtime: "external", parentId, workspaceDir: null, workspaceAccess: "none",
    deliveryMode: "poll", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
    event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
  })).pipe(Effect.map((c) => c.workspace.id))

const outcome = (effect: Effect.Effect<void, { readonly error: string }, Tokens | Hierarchy>) =>
  effect.pipe(Effect.as("ok"), Effect.catchAll((e) => Effect.succeed(e.error)))

describe("KI-005 cross-workspace guard (§4.5)", () => {
  layer(Layer.mergeAll(Tokens.Default, Hierarchy.Default).pipe(Layer.provideMerge(persistence)), { timeout: "60 seconds" })((it) => {
    it.effect("no claim, or a claim of the target itself, passes without any lookup", () =>
      Effect.gen(function* () {
        const target = yield* create("t", null)
        const caller = { orgAuthenticated: false, bearer: Option.some("whatever") }
        expect(yield* outcome(crossWorkspaceGuard(target, {}, caller, forbidden))).toBe("ok")
        expect(yield* outcome(crossWorkspaceGuard(target, { "x-workspace-id": target.toUpperCase() }, caller, forbidden))).toBe("ok")
      }))

    it.effect("the bearer must belong to the claimed workspace unless org-authenticated; then CanCommunicate decides", () =>
      Effect.gen(function* () {
        const root = yield* create("root", null)
        const child = yield* create("child", root)
        const other = yield* create("other", null)
        const grandchildOfOther = yield* create("gc", yield* create("mid", other))
        const childToken = (yield* Effect.flatMap(TokenRepository, (t) => t.issue(child))).token
        const claimChild = { "x-workspace-id": child }
        // a bearer of another workspace → 401
        expect(yield* outcome(crossWorkspaceGuard(root, claimChild, { orgAuthenticated: false, bearer: Option.some("nope") }, forbidden)))
          .toBe("invalid token for claimed workspace")
        // the child's own token, target its parent → allowed
        expect(yield* outcome(crossWorkspaceGuard(root, claimChild, { orgAuthenticated: false, bearer: Option.some(childToken) }, forbidden)))
          .toBe("ok")
        // org-authenticated skips the token check; a cousin-like pair is refused with the route's 403
        expect(yield* outcome(crossWorkspaceGuard(grandchildOfOther, claimChild, { orgAuthenticated: true, bearer: Option.some("org") }, forbidden)))
          .toBe(forbidden)
        // two roots are siblings
        expect(yield* outcome(crossWorkspaceGuard(other, { "x-workspace-id": root }, { orgAuthenticated: true, bearer: Option.some("org") }, forbidden)))
          .toBe("ok")
        // no bearer at all: only CanCommunicate
        expect(yield* outcome(crossWorkspaceGuard(child, { "x-workspace-id": "not-a-uuid" }, { orgAuthenticated: false, bearer: Option.none() }, forbidden)))
          .toBe(forbidden)
      }))
  })
})
