/**
 * Handlers of `…/model` and `…/provider` (§5.7): the workspace's pick (`source` telling it from the default), and
 * saving or clearing it (an empty value clears; each change asks for one auto-restart, in core).
 */
import { HttpApiBuilder } from "@effect/platform"
import { Workspaces } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

const shown = (pick: Option.Option<string>) =>
  Option.match(pick, {
    onNone: () => ({ value: "", source: "default" as const }),
    onSome: (v) => ({ value: v, source: "workspace_secrets" as const })
  })

export const ModelProviderLive = HttpApiBuilder.group(Api, "modelProvider", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* Workspaces
    return handlers
      .handle("getModel", ({ path }) =>
        workspaces.pick(path.id, "model").pipe(Effect.map(shown), Effect.map((r) => ({ model: r.value, source: r.source })), mapCoreErrors))
      .handle("putModel", ({ path, payload }) =>
        workspaces.choose(path.id, "model", payload.model ?? "").pipe(
          Effect.map((outcome) => outcome === "cleared" ? { status: "cleared" as const } : { status: "saved" as const, model: payload.model ?? "" }),
          mapCoreErrors
        ))
      .handle("getProvider", ({ path }) =>
        workspaces.pick(path.id, "provider").pipe(Effect.map(shown), Effect.map((r) => ({ provider: r.value, source: r.source })), mapCoreErrors))
      .handle("putProvider", ({ path, payload }) =>
        workspaces.choose(path.id, "provider", payload.provider ?? "").pipe(
          Effect.map((outcome) => outcome === "cleared" ? { status: "cleared" as const } : { status: "saved" as const, provider: payload.provider ?? "" }),
          mapCoreErrors
        ))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
