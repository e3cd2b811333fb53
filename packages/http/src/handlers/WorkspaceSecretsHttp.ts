/**
 * Handlers of `/workspaces/:id/secrets` (§5.8). Writes go through `SecretWrites.write` like create's and the model
 * routes'; every change asks for one auto-restart, so the workload picks the new environment up.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { SecretInfo, WorkspaceId } from "@berth/core"
import { AutoRestart, SecretRepository, SecretWrites } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import type { SaveSecretPayload } from "../groups/AdminSecrets.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { BadRequest, Internal, NotFound, orUnavailable, rfc3339 } from "../wire/Errors.js"
import { liveWorkspace } from "./LiveWorkspace.js"

/** Both fields of a secret write are required (§5.8), here and for `/admin/secrets`. */
export const keyAndValueRequired = new BadRequest({ error: "key and value are required" })

/** One listed secret: never its value. */
export const toWire = (s: SecretInfo) => ({
  key: s.key,
  has_value: true as const,
  scope: s.scope,
  created_at: rfc3339(s.createdAt),
  updated_at: rfc3339(s.updatedAt)
})

export const WorkspaceSecretsLive = HttpApiBuilder.group(Api, "workspaceSecrets", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* SecretRepository
    const autoRestart = yield* AutoRestart
    const save = (id: WorkspaceId.WorkspaceId, payload: typeof SaveSecretPayload.Type) =>
      Effect.gen(function* () {
        const key = payload.key ?? ""
        const value = payload.value ?? ""
        if (key === "" || value === "") return yield* Effect.fail(keyAndValueRequired)
        yield* liveWorkspace(id)
        yield* orUnavailable(SecretWrites.write(secrets, id, key, value)).pipe(
          Effect.catchTag("SecretWriteFailed", (e) =>
            Effect.zipRight(Effect.logError("secret write failed", e), Effect.fail(new Internal({ error: `failed to ${e.operation} secret` }))))
        )
        yield* autoRestart.request(id, "auto_restart")
        return { status: "saved" as const, key }
      }).pipe(Effect.annotateLogs("workspace_id", id))
    return handlers
      .handle("list", ({ path }) =>
        Effect.zipRight(liveWorkspace(path.id), orUnavailable(secrets.listForWorkspace(path.id))).pipe(
          Effect.map((rows) => rows.map(toWire))))
      .handle("create", ({ path, payload }) => save(path.id, payload))
      .handle("update", ({ path, payload }) => save(path.id, payload))
      .handle("remove", ({ path }) =>
        Effect.gen(function* () {
          yield* liveWorkspace(path.id)
          const deleted = yield* orUnavailable(secrets.deleteWorkspace(path.id, path.key))
          if (!deleted) return yield* Effect.fail(new NotFound({ error: "secret not found" }))
          yield* autoRestart.request(path.id, "auto_restart")
          return { status: "deleted" as const, key: path.key }
        }))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
