/**
 * Handlers of the global secrets (§5.8), ONE implementation behind both paths: `/admin/secrets` and the canonical
 * `/settings/secrets`. The use cases are core's `Secrets`.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Secrets } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import type { SaveSecretPayload } from "../groups/AdminSecrets.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { mapCoreErrors, onSecretRoute } from "../wire/CoreErrors.js"
import { toWire } from "./WorkspaceSecretsHttp.js"

// The global route names no operation in its 500, whichever step failed (§5.8).

/** list / save / remove over `Secrets`, shared by both groups. */
const globalSecrets = Effect.map(Secrets, (secrets) => ({
  list: () => secrets.listGlobal().pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors),
  save: ({ payload }: { readonly payload: typeof SaveSecretPayload.Type }) =>
    secrets.saveGlobal(payload.key ?? "", payload.value ?? "").pipe(
      Effect.catchTags(onSecretRoute),
      Effect.as({ status: "saved" as const, key: payload.key ?? "" }),
      mapCoreErrors
    ),
  remove: ({ path }: { readonly path: { readonly key: string } }) =>
    secrets.removeGlobal(path.key).pipe(Effect.as({ status: "deleted" as const, key: path.key }), mapCoreErrors)
}))

export const AdminSecretsLive = HttpApiBuilder.group(Api, "adminSecrets", (handlers) =>
  Effect.map(globalSecrets, (h) => handlers.handle("list", h.list).handle("save", h.save).handle("remove", h.remove))
).pipe(Layer.provide(AdminAuth.layer))

export const SettingsSecretsLive = HttpApiBuilder.group(Api, "settingsSecrets", (handlers) =>
  Effect.map(globalSecrets, (h) =>
    handlers.handle("list", h.list).handle("save", h.save).handle("create", h.save).handle("remove", h.remove))
).pipe(Layer.provide(AdminAuth.layer))
