/** Tokens (hash-only storage, liveness, limits, stale revocation) and secrets (scopes, overrides, restart set). */
import { SqlClient } from "@effect/sql"
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { SecretRepository, TokenRepository, WorkspaceStore } from "@berth/core"
import { Effect, Either, Option } from "effect"
import type { Services } from "../../src/sql/Persistence.js"
import { create, event, setStatus } from "./RepositorySuite.js"

export const tokenSecretSuite = (it: Vitest.MethodsNonLive<Services, true>) => {
  it.effect("the token table never holds a plain token", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const sql = yield* SqlClient.SqlClient
      const id = yield* create()
      const issued = yield* tokens.issue(id)
      expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(issued.prefix).toBe(issued.token.slice(0, 8))
      const rows = yield* sql<{ row: string }>`
        SELECT row_to_json(t)::text || encode(t.token_hash, 'escape') || encode(t.token_hash, 'base64') AS row
        FROM workspace_auth_tokens t WHERE workspace_id = ${id}`
      expect(rows).toHaveLength(1)
      expect(rows[0]?.row).not.toContain(issued.token)
      expect(yield* tokens.validate(id, issued.token)).toBe(true)
    }))

  it.effect("validation: bound to its workspace, dead once revoked or once the workspace is removed", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const store = yield* WorkspaceStore
      const a = yield* create()
      const b = yield* create()
      const t1 = yield* tokens.issue(a)
      const t2 = yield* tokens.issue(a)
      expect(yield* tokens.validate(b, t1.token)).toBe(false)
      expect(yield* tokens.validate(a, t1.token.slice(0, 42) + "x")).toBe(false)
      expect(yield* tokens.validateAny(t1.token)).toBe(a)
      expect(yield* tokens.hasLive(a)).toBe(true)
      expect(yield* tokens.hasLive(b)).toBe(false)
      expect((yield* tokens.list(a, 50, 0)).map((t) => t.id).sort()).toEqual([t1.id, t2.id].sort())
      expect((yield* tokens.list(a, 50, 0)).find((t) => t.id === t1.id)?.lastUsedAt).not.toBeNull()
      expect(yield* tokens.revoke(a, t1.id)).toBe(true)
      expect(yield* tokens.revoke(a, t1.id)).toBe(false)
      expect(yield* tokens.revoke(b, t2.id)).toBe(false)
      expect(yield* tokens.revoke(a, "not-a-uuid")).toBe(false)
      expect(yield* tokens.validate(a, t1.token)).toBe(false)
      yield* store.markRemoved([{ id: a, event: event("WORKSPACE_REMOVED") }])
      expect(yield* tokens.validate(a, t2.token)).toBe(false)
      expect(yield* tokens.hasLive(a)).toBe(false)
    }))

  it.effect("issue respects the live-token limit; revokeAll frees it", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const id = yield* create()
      yield* tokens.issue(id, 2)
      yield* tokens.issue(id, 2)
      const third = yield* Effect.either(tokens.issue(id, 2))
      expect(Either.isLeft(third) && third.left._tag).toBe("TokenLimitReached")
      expect(yield* tokens.revokeAll(id)).toBe(2)
      yield* tokens.issue(id, 2)
    }))

  it.effect("stale tokens: candidates exclude external, provisioning and fresh tokens; revocation repeats the condition", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const sql = yield* SqlClient.SqlClient
      const stale = yield* create()
      const external = yield* create({ runtime: "external" })
      const provisioning = yield* create()
      for (const id of [stale, external]) yield* setStatus(id, "online")
      for (const id of [stale, external, provisioning]) yield* tokens.issue(id)
      yield* sql`UPDATE workspace_auth_tokens SET created_at = now() - interval '10 minutes'
        WHERE workspace_id IN (${stale}, ${external}, ${provisioning})`
      const fresh = yield* tokens.issue(stale)
      const mine = new Set([stale, external, provisioning])
      expect((yield* tokens.staleTokenWorkspaces(300)).filter((id) => mine.has(id))).toEqual([stale])
      expect(yield* tokens.revokeStale(stale, 300)).toBe(1)
      expect(yield* tokens.validate(stale, fresh.token)).toBe(true)
      expect(yield* tokens.revokeStale(external, 300)).toBe(0)
    }))

  it.effect("org API tokens validate while not revoked", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const org = yield* tokens.issueOrg({ name: "ci", createdBy: null, orgId: null })
      expect(yield* tokens.validateOrg(org.token)).toBe(true)
      expect(yield* tokens.validateOrg("nope")).toBe(false)
      expect(yield* tokens.validate(yield* create(), org.token)).toBe(false)
    }))

  it.effect("secrets: workspace keys override globals; list, get, delete; the global restart set", () =>
    Effect.gen(function* () {
      const secrets = yield* SecretRepository
      const key = `K_${crypto.randomUUID().slice(0, 8)}`
      const a = yield* create()
      const b = yield* create()
      const external = yield* create({ runtime: "external" })
      yield* secrets.putGlobal(key, "global-value")
      yield* secrets.putGlobal(`${key}_2`, "other")
      yield* secrets.putWorkspace(a, key, "first")
      yield* secrets.putWorkspace(a, key, "own-value")
      expect(yield* secrets.getWorkspace(a, key)).toEqual(Option.some("own-value"))
      expect(yield* secrets.getWorkspace(b, key)).toEqual(Option.none())
      expect((yield* secrets.loadForProvision(a))[key]).toBe("own-value")
      expect((yield* secrets.loadForProvision(b))[key]).toBe("global-value")
      const listed = (yield* secrets.listForWorkspace(a)).filter((s) => s.key.startsWith(key))
      expect(listed.map((s) => [s.key, s.scope])).toEqual([[key, "workspace"], [`${key}_2`, "global"]])
      const restart = yield* secrets.workspacesUsingGlobal(key)
      expect([a, b, external].filter((id) => restart.includes(id))).toEqual([b])
      expect(yield* secrets.deleteWorkspace(a, key)).toBe(true)
      expect(yield* secrets.deleteWorkspace(a, key)).toBe(false)
      expect(yield* secrets.deleteGlobal(key)).toBe(true)
      expect((yield* secrets.listGlobal).some((s) => s.key === key)).toBe(false)
    }))
}
