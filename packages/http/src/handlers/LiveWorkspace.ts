/**
 * The row a `/workspaces/:id/…` route acts on: unknown → `404 {"error":"workspace not found"}` (§4.2), `removed` →
 * the 410 of §5.4 (§11.8). Datastore faults are the 503 of §4.2.
 */
import type { Workspace, WorkspaceId } from "@berth/core"
import { WorkspaceRepository } from "@berth/core"
import { Effect, Option } from "effect"
import type { Gone, NotFound, Unavailable } from "../wire/Errors.js"
import { orUnavailable, workspaceNotFound, workspaceRemoved } from "../wire/Errors.js"

export const liveWorkspace = (
  id: WorkspaceId.WorkspaceId
): Effect.Effect<Workspace, NotFound | Gone | Unavailable, WorkspaceRepository> =>
  Effect.gen(function* () {
    const row = yield* orUnavailable(Effect.flatMap(WorkspaceRepository, (repo) => repo.get(id)))
    if (Option.isNone(row)) return yield* Effect.fail(workspaceNotFound)
    if (row.value.status === "removed") return yield* Effect.fail(workspaceRemoved(id, row.value.updatedAt))
    return row.value
  })
