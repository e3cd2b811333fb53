/** How many workspaces are in each status (the `berth_workspaces{status}` gauge of `/metrics`, §5.1). */
import { Effect } from "effect"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"

export class StatusCounts extends Effect.Service<StatusCounts>()("@berth/core/StatusCounts", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore

    /** Row count per status present; a status with no row is absent. */
    const byStatus = Effect.fn("StatusCounts.byStatus")(function* () {
      return yield* store.countByStatus
    })

    return { byStatus } as const
  })
}) {}
