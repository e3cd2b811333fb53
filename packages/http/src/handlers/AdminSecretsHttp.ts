/**
 * Handlers of `/admin/secrets` (§5.8). A change asks for an auto-restart of every workspace that uses the global key
 * (non-removed, non-paused, non-external, no workspace override). `AutoRestart` belongs to the workspace lifecycle;
 * until main provides it, a change is stored and the skipped restarts are logged.
 */
import { HttpApiBuilder } from "@effect/platform"
import { AutoRestart, SecretRepository } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { BadRequest, Internal, NotFound, orUnavailable, rfc3339 } from "../wire/Errors.js"

const required = new BadRequest({ error: "key and value are required" })

export const AdminSecretsLive = HttpApiBuilder.group(Api, "adminSecrets", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* SecretRepository
    const autoRestart = yield* Effect.serviceOption(AutoRestart)
    const restartUsers = (key: string) =>
      Effect.gen(function* () {
        const ids = yield* secrets.workspacesUsingGlobal(key)
        if (Option.isNone(autoRestart)) {
          if (ids.length > 0) yield* Effect.logWarning(`global secret ${key} changed; auto-restart unavailable for ${ids.length} workspace(s)`)
          return
        }
        yield* Effect.forEach(ids, (id) => autoRestart.value.request(id, "auto_restart"), { discard: true })
      }).pipe(Effect.catchAll((e) => Effect.logWarning("global secret change: restart lookup failed", e)))
    return handlers
      .handle("list", () =>
        orUnavailable(secrets.listGlobal).pipe(Effect.map((rows) => rows.map((s) => ({
          key: s.key,
          has_value: true as const,
          scope: s.scope,
          created_at: rfc3339(s.createdAt),
          updated_at: rfc3339(s.updatedAt)
        })))))
      .handle("save", ({ payload }) =>
        Effect.gen(function* () {
          const key = payload.key ?? ""
          const value = payload.value ?? ""
          if (key === "" || value === "") return yield* Effect.fail(required)
          yield* orUnavailable(secrets.putGlobal(key, value)).pipe(
            Effect.catchTag("SecretWriteFailed", (e) =>
              Effect.zipRight(Effect.logError("global secret write failed", e), Effect.fail(new Internal({ error: "failed to save secret" }))))
          )
          yield* restartUsers(key)
          return { status: "saved" as const, key }
        }))
      .handle("remove", ({ path }) =>
        Effect.gen(function* () {
          const deleted = yield* orUnavailable(secrets.deleteGlobal(path.key))
          if (!deleted) return yield* Effect.fail(new NotFound({ error: "secret not found" }))
          yield* restartUsers(path.key)
          return { status: "deleted" as const, key: path.key }
        }))
  })).pipe(Layer.provide(AdminAuth.layer))
