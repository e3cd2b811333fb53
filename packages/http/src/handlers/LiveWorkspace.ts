/**
 * The row a `/workspaces/:id/…` route acts on, as `Workspaces.live` decides it: unknown → `404 {"error":"workspace
 * not found"}` (§4.2), `removed` → the 410 of §5.4 (§11.8). Datastore faults are the 503 of §4.2.
 */
import type { Workspace, WorkspaceId } from "@berth/core"
import { Workspaces } from "@berth/core"
import { Effect } from "effect"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import type { Gone, NotFound, Unavailable } from "../wire/Errors.js"

export const liveWorkspace = (
  id: WorkspaceId.WorkspaceId
): Effect.Effect<Workspace, NotFound | Gone | Unavailable, Workspaces> =>
  mapCoreErrors(Effect.flatMap(Workspaces, (workspaces) => workspaces.live(id)))
