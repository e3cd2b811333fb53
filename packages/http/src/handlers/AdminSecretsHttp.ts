/** Handlers of `/admin/secrets` (§5.8): the use cases are core's `Secrets`. */
import { HttpApiBuilder } from "@effect/platform"
import { Secrets } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { mapCoreErrors, onSecretRoute } from "../wire/CoreErrors.js"
import { toWire } from "./WorkspaceSecretsHttp.js"

// The global route names no operation in its 500, whichever step failed (§5.8).

export const AdminSecretsLive = HttpApiBuilder.group(Api, "adminSecrets", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* Secrets
    return handlers
      .handle("list", () => secrets.listGlobal().pipe(Effect.map((rows) => rows.map(toWire)), mapCoreErrors))
      .handle("save", ({ payload }) =>
        secrets.saveGlobal(payload.key ?? "", payload.value ?? "").pipe(
          Effect.catchTags(onSecretRoute),
          Effect.as({ status: "saved" as const, key: payload.key ?? "" }),
          mapCoreErrors
        ))
      .handle("remove", ({ path }) =>
        secrets.removeGlobal(path.key).pipe(Effect.as({ status: "deleted" as const, key: path.key }), mapCoreErrors))
  })).pipe(Layer.provide(AdminAuth.layer))
