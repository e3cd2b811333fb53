/**
 * The status write shared by every restart (§5.6 rule 5, §2.3 "any but removed → provisioning"): the manual restart
 * route and the auto-restart both go through it, so the event payload and the cleared `url` cannot drift apart.
 */
import type { Effect } from "effect"
import type { DatastoreUnavailable } from "./Errors.js"
import type { EventSource } from "./Events.js"
import type { Recorded, WorkspaceRepository } from "./ports/WorkspaceRepository.js"
import type { WorkspaceId } from "./WorkspaceId.js"

/** What the `WORKSPACE_PROVISIONING` payload names. */
export interface Reprovisioned {
  readonly id: WorkspaceId
  readonly name: string
  readonly tier: number
  readonly runtime: string
}

/**
 * Sets `provisioning` (from any status but `removed`) with `url = ''` and records `WORKSPACE_PROVISIONING`
 * `{name,tier,runtime,source}`. None when the row is removed or gone (nothing written, nothing to publish).
 */
export const markProvisioning = (
  repo: Pick<WorkspaceRepository["Type"], "transition">,
  workspace: Reprovisioned,
  source: Extract<EventSource, "user_restart" | "auto_restart">
): Effect.Effect<Recorded, DatastoreUnavailable> =>
  repo.transition({
    id: workspace.id,
    to: "provisioning",
    from: "anyButRemoved",
    set: { url: "" },
    event: {
      type: "WORKSPACE_PROVISIONING",
      payload: { name: workspace.name, tier: workspace.tier, runtime: workspace.runtime, source }
    }
  })
