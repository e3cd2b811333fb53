import { Secrets, TokenRepository } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import { autoRestartKept, newWorkspace, removeWorkspace, tagOf, takeRestartRequests } from "./Fixtures.js"
import { databases } from "./Harness.js"

for (const db of databases) {
  describe(`Secrets use cases (§5.8) on ${db.name}`, () => {
    layer(Secrets.Default.pipe(Layer.provideMerge(Layer.merge(db.persistence, autoRestartKept))), { timeout: "60 seconds" })((it) => {
      it.effect("a workspace secret is saved, listed without its value, and each change restarts that workspace", () =>
        Effect.gen(function* () {
          const secrets = yield* Secrets
          const id = yield* newWorkspace("with-secrets")
          yield* takeRestartRequests
          yield* secrets.saveForWorkspace(id, "API_KEY", "v1")
          yield* secrets.saveForWorkspace(id, "API_KEY", "v2")
          const listed = yield* secrets.listForWorkspace(id)
          expect(listed.filter((s) => s.scope === "workspace").map((s) => s.key)).toEqual(["API_KEY"])
          expect(JSON.stringify(listed)).not.toContain("v2")
          yield* secrets.removeForWorkspace(id, "API_KEY")
          expect(yield* takeRestartRequests).toEqual([id, id, id])
          expect(yield* tagOf(secrets.removeForWorkspace(id, "API_KEY"))).toBe("SecretNotFound")
          expect(yield* takeRestartRequests).toEqual([])
        }))

      it.effect("an empty key or value is refused before the workspace is read; unknown and removed rows differ", () =>
        Effect.gen(function* () {
          const secrets = yield* Secrets
          const id = yield* newWorkspace("gone-soon")
          expect(yield* tagOf(secrets.saveForWorkspace(id, "", "x"))).toBe("InvalidInput")
          expect(yield* tagOf(secrets.saveForWorkspace(id, "K", ""))).toBe("InvalidInput")
          yield* removeWorkspace(id)
          expect(yield* tagOf(secrets.listForWorkspace(id))).toBe("WorkspaceRemoved")
          expect(yield* tagOf(secrets.saveForWorkspace(id, "K", "v"))).toBe("WorkspaceRemoved")
          const unknown = "00000000-0000-4000-8000-000000000001" as typeof id
          expect(yield* tagOf(secrets.listForWorkspace(unknown))).toBe("WorkspaceNotFound")
          expect(yield* takeRestartRequests).toEqual([])
        }))

      it.effect("values: globals overridden by own values, decrypted; the own live token only; one bad value refuses all", () =>
        Effect.gen(function* () {
          const secrets = yield* Secrets
          const id = yield* newWorkspace("pulls-values")
          yield* secrets.saveGlobal("VALUES_GLOBAL", "g")
          yield* secrets.saveGlobal("VALUES_BOTH", "g")
          yield* secrets.saveForWorkspace(id, "VALUES_BOTH", "own")
          // no live token yet: anyone past the route guard reads them (upstream's legacy grandfathering)
          expect(yield* secrets.values(id, Option.none())).toMatchObject({ VALUES_GLOBAL: "g", VALUES_BOTH: "own" })
          const issued = yield* (yield* TokenRepository).issue(id)
          expect(yield* tagOf(secrets.values(id, Option.none()))).toBe("TokenRejected")
          expect(yield* tagOf(secrets.values(id, Option.some("someone-else")))).toBe("TokenRejected")
          expect(yield* secrets.values(id, Option.some(issued.token))).toMatchObject({ VALUES_BOTH: "own" })
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE global_secrets SET encrypted_value = decode('00', 'hex') WHERE key = 'VALUES_GLOBAL'`
          const refused = yield* Effect.flip(secrets.values(id, Option.some(issued.token)))
          expect(refused).toMatchObject({ _tag: "SecretDecryptFailed", scope: "global", key: "VALUES_GLOBAL" })
          yield* secrets.removeGlobal("VALUES_GLOBAL")
          yield* secrets.removeGlobal("VALUES_BOTH")
          const unknown = "00000000-0000-4000-8000-000000000002" as typeof id
          expect(yield* tagOf(secrets.values(unknown, Option.none()))).toBe("WorkspaceNotFound")
        }))

      it.effect("a global secret restarts the workspaces that use it, not those that override it", () =>
        Effect.gen(function* () {
          const secrets = yield* Secrets
          const user = yield* newWorkspace("uses-global", "claude-code")
          const overrider = yield* newWorkspace("overrides-global", "claude-code")
          yield* secrets.saveForWorkspace(overrider, "SHARED_KEY", "own")
          yield* takeRestartRequests
          yield* secrets.saveGlobal("SHARED_KEY", "global")
          const restarted = yield* takeRestartRequests
          expect(restarted).toContain(user)
          expect(restarted).not.toContain(overrider)
          expect((yield* secrets.listGlobal()).map((s) => s.key)).toContain("SHARED_KEY")
          expect((yield* secrets.listForWorkspace(user)).find((s) => s.key === "SHARED_KEY")?.scope).toBe("global")
          yield* secrets.removeGlobal("SHARED_KEY")
          expect(yield* takeRestartRequests).toContain(user)
          expect(yield* tagOf(secrets.removeGlobal("SHARED_KEY"))).toBe("SecretNotFound")
          expect(yield* tagOf(secrets.saveGlobal("", "x"))).toBe("InvalidInput")
        }))
    })
  })
}
