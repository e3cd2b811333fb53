/**
 * Handlers of `/admin/secrets` (§5.8). A change asks for an auto-restart of every workspace that uses the global key
 * (non-removed, non-paused, non-external, no workspace override).
 */
import { HttpApiBuilder } from "@effect/platform"
import { AutoRestart, SecretRepository } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { Internal, NotFound, orUnavailable } from "../wire/Errors.js"
import { keyAndValueRequired, toWire } from "./WorkspaceSecretsHttp.js"

export const AdminSecretsLive = HttpApiBuilder.group(Api, "adminSecrets", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* SecretRepository
    const autoRestart = yield* AutoRestart
    const restartUsers = (key: string) =>
      Effect.flatMap(secrets.workspacesUsingGlobal(key), (ids) =>
        Effect.forEach(ids, (id) => autoRestart.request(id, "auto_restart"), { discard: true })
      ).pipe(Effect.catchAll((e) => Effect.logWarning("global secret change: restart lookup failed", e)))
    return handlers
      .handle("list", () =>
        orUnavailable(secrets.listGlobal).pipe(Effect.map((rows) => rows.map(toWire))))
      .handle("save", ({ payload }) =>
        Effect.gen(function* () {
          const key = payload.key ?? ""
          const value = payload.value ?? ""
          if (key === "" || value === "") return yield* Effect.fail(keyAndValueRequired)
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
