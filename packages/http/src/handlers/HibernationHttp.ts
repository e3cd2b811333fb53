/** Pause, resume and hibernate (§2.4): each calls one `Hibernation` method and maps its errors with the one table. */
import { HttpApiBuilder } from "@effect/platform"
import { Hibernation } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

export const HibernationLive = HttpApiBuilder.group(Api, "hibernation", (handlers) =>
  Effect.gen(function* () {
    const hibernation = yield* Hibernation
    return handlers
      .handle("pause", ({ path }) =>
        hibernation.pause(path.id).pipe(
          Effect.map((c) => ({ status: "paused", paused_count: c.count } as const)),
          mapCoreErrors,
          Effect.withSpan("Workspaces.pause")
        ))
      .handle("resume", ({ path }) =>
        hibernation.resume(path.id).pipe(
          Effect.map((c) => ({ status: "provisioning", resumed_count: c.count } as const)),
          mapCoreErrors,
          Effect.withSpan("Workspaces.resume")
        ))
      .handle("hibernate", ({ path, urlParams }) =>
        hibernation.hibernate(path.id, urlParams.force === "true").pipe(
          Effect.as({ status: "hibernated" } as const),
          mapCoreErrors,
          Effect.withSpan("Workspaces.hibernate")
        ))
  })).pipe(Layer.provide(WorkspaceAuth.layer), Layer.provide(Hibernation.Default))
