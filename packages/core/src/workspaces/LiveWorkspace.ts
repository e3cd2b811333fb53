/**
 * The row a workspace-scoped use case acts on. Two readings of "gone", because the contract has both: routes under
 * `/workspaces/:id/…` answer a `removed` row with the 410 of §5.4 (`requireLive`), while token minting and the event
 * stream treat it as unknown (`requireNotRemoved`).
 */
import { Effect, Option } from "effect"
import { WorkspaceNotFound, WorkspaceRemoved } from "../domain/Errors.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { Workspace } from "../ports/WorkspaceRecords.js"
import type { WorkspaceStoreShape } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** The row; unknown → `WorkspaceNotFound`, `removed` → `WorkspaceRemoved` (with `updated_at` as `removed_at`). */
export const requireLive = (
  store: WorkspaceStoreShape,
  id: WorkspaceId
): Effect.Effect<Workspace, WorkspaceNotFound | WorkspaceRemoved | DatastoreUnavailable> =>
  Effect.flatMap(store.get(id), (row): Effect.Effect<Workspace, WorkspaceNotFound | WorkspaceRemoved> => {
    if (Option.isNone(row)) return Effect.fail(new WorkspaceNotFound({ id }))
    if (row.value.status === "removed") return Effect.fail(new WorkspaceRemoved({ id, removedAt: row.value.updatedAt }))
    return Effect.succeed(row.value)
  })

/** The row; unknown or `removed` → `WorkspaceNotFound`. */
export const requireNotRemoved = (
  store: WorkspaceStoreShape,
  id: WorkspaceId
): Effect.Effect<Workspace, WorkspaceNotFound | DatastoreUnavailable> =>
  requireLive(store, id).pipe(Effect.catchTag("WorkspaceRemoved", () => Effect.fail(new WorkspaceNotFound({ id }))))
