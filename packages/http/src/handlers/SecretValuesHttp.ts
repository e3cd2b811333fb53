/** Handler of `GET /workspaces/:id/secrets/values` (§5.8): one `Secrets.values` call. */
import { HttpApiBuilder } from "@effect/platform"
import { Secrets } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import { bearer } from "../guards/Credentials.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors, onSecretValues } from "../wire/CoreErrors.js"

export const SecretValuesLive = HttpApiBuilder.group(Api, "secretValues", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* Secrets
    return handlers.handle("values", ({ path, request }) =>
      secrets.values(path.id, bearer(request.headers)).pipe(Effect.catchTags(onSecretValues), mapCoreErrors))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
