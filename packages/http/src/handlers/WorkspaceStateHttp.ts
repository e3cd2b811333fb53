/** Handler of `GET /workspaces/:id/state` (§5.12): removed and unknown read alike, with `deleted: true`. */
import { HttpApiBuilder } from "@effect/platform"
import { WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { NotFound, datastoreUnavailable } from "../wire/Errors.js"

const gone = new NotFound({ error: "workspace not found", deleted: true })

export const WorkspaceStateLive = HttpApiBuilder.group(Api, "workspaceState", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* WorkspaceRepository
    return handlers.handle("state", ({ path }) =>
      workspaces.get(path.id).pipe(
        Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable)),
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(gone),
          onSome: (w) => w.status === "removed"
            ? Effect.fail(gone)
            : Effect.succeed({ workspace_id: w.id, status: w.status, paused: w.status === "paused", deleted: false as const })
        }))
      ))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
