/** Handler of `GET /workspaces/:id/state` (§5.12): removed and unknown read alike, with `deleted: true`. */
import { HttpApiBuilder } from "@effect/platform"
import { Workspaces } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { NotFound } from "../wire/Errors.js"

const gone = () => Effect.fail(new NotFound({ error: "workspace not found", deleted: true }))

export const WorkspaceStateLive = HttpApiBuilder.group(Api, "workspaceState", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* Workspaces
    return handlers.handle("state", ({ path }) =>
      workspaces.state(path.id).pipe(
        Effect.map((s) => ({ workspace_id: s.id, status: s.status, paused: s.status === "paused", deleted: false as const })),
        Effect.catchTags({ WorkspaceNotFound: gone, WorkspaceRemoved: gone }),
        mapCoreErrors
      ))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
