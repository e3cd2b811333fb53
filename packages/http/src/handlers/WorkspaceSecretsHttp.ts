/** Handlers of `/workspaces/:id/secrets` (§5.8): the use cases are core's `Secrets`. */
import { HttpApiBuilder } from "@effect/platform"
import type { SecretInfo, WorkspaceId } from "@berth/core"
import { Secrets } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import type { SaveSecretPayload } from "../groups/AdminSecrets.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { rfc3339 } from "../wire/Errors.js"
import { mapCoreErrors, onSecretRoute } from "../wire/CoreErrors.js"

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
    const secrets = yield* Secrets
    const save = ({ path, payload }: { readonly path: { readonly id: WorkspaceId.WorkspaceId }; readonly payload: typeof SaveSecretPayload.Type }) =>
      secrets.saveForWorkspace(path.id, payload.key ?? "", payload.value ?? "").pipe(
        Effect.as({ status: "saved" as const, key: payload.key ?? "" }),
        Effect.catchTags(onSecretRoute),
        mapCoreErrors
      )
    return handlers
      .handle("list", ({ path }) => secrets.listForWorkspace(path.id).pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors))
      .handle("create", save)
      .handle("update", save)
      .handle("remove", ({ path }) =>
        secrets.removeForWorkspace(path.id, path.key).pipe(Effect.as({ status: "deleted" as const, key: path.key }), mapCoreErrors))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
