/**
 * Handlers of `…/model` and `…/provider` (§5.7). Both keys are workspace secrets written through
 * `SecretWrites.write` (the function create uses; an empty value clears), and each change asks for one auto-restart.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { WorkspaceId } from "@berth/core"
import { AutoRestart, SecretRepository, SecretWrites } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { Internal, orUnavailable } from "../wire/Errors.js"
import { liveWorkspace } from "./LiveWorkspace.js"

/** The 500 messages of `PUT …/model` and `PUT …/provider` (§5.7). */
const failure = (what: "model" | "provider", reason: "clear" | "encrypt" | "save") =>
  new Internal({ error: `failed to ${reason} ${what}` })

export const ModelProviderLive = HttpApiBuilder.group(Api, "modelProvider", (handlers) =>
  Effect.gen(function* () {
    const secrets = yield* SecretRepository
    const autoRestart = yield* AutoRestart

    /** The stored value, `source` telling a workspace pick from the default. */
    const read = (id: WorkspaceId.WorkspaceId, key: string) =>
      Effect.gen(function* () {
        yield* liveWorkspace(id)
        const value = yield* orUnavailable(secrets.getWorkspace(id, key)).pipe(Effect.catchTag("SecretDecryptFailed", (e) =>
          Effect.zipRight(Effect.logError(`${key}: decrypt failed`, e), Effect.fail(new Internal({ error: "failed to decrypt" })))))
        return Option.match(value, {
          onNone: () => ({ value: "", source: "default" as const }),
          onSome: (v) => ({ value: v, source: "workspace_secrets" as const })
        })
      })

    /** Saves or clears, then one auto-restart. */
    const save = (id: WorkspaceId.WorkspaceId, what: "model" | "provider", key: string, value: string) =>
      Effect.gen(function* () {
        yield* liveWorkspace(id)
        const outcome = yield* SecretWrites.write(secrets, id, key, value).pipe(Effect.catchAll((e) =>
          Effect.zipRight(
            Effect.logError(`${key}: write failed`, e),
            Effect.fail(failure(what, value === "" ? "clear" : e._tag === "SecretWriteFailed" && e.operation === "encrypt" ? "encrypt" : "save"))
          )))
        yield* autoRestart.request(id, "auto_restart")
        return outcome
      }).pipe(Effect.annotateLogs("workspace_id", id))

    return handlers
      .handle("getModel", ({ path }) =>
        Effect.map(read(path.id, SecretWrites.MODEL_KEY), (r) => ({ model: r.value, source: r.source })))
      .handle("putModel", ({ path, payload }) =>
        Effect.map(save(path.id, "model", SecretWrites.MODEL_KEY, payload.model ?? ""), (outcome) =>
          outcome === "cleared" ? { status: "cleared" as const } : { status: "saved" as const, model: payload.model ?? "" }))
      .handle("getProvider", ({ path }) =>
        Effect.map(read(path.id, SecretWrites.PROVIDER_KEY), (r) => ({ provider: r.value, source: r.source })))
      .handle("putProvider", ({ path, payload }) =>
        Effect.map(save(path.id, "provider", SecretWrites.PROVIDER_KEY, payload.provider ?? ""), (outcome) =>
          outcome === "cleared" ? { status: "cleared" as const } : { status: "saved" as const, provider: payload.provider ?? "" }))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
