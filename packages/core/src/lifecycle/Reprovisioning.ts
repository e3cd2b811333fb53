/**
 * The status write shared by every restart (§5.6 rule 5, §2.3 "any but removed → provisioning"): the manual restart
 * route and the auto-restart both go through it, so the event payload and the cleared `url` cannot drift apart.
 */
import type { Effect } from "effect"
import * as Transitions from "../domain/Transitions.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { EventSource } from "../domain/Events.js"
import type { StatusWrites } from "../ports/StatusWrites.js"
import type { Recorded } from "../ports/WorkspaceRecords.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** What the `WORKSPACE_PROVISIONING` payload names. */
export interface Reprovisioned {
  readonly id: WorkspaceId
  readonly name: string
  readonly tier: number
  readonly runtime: string
}

/** A restart of a hibernated workspace is a wake (§2.4); a resume leaves only `paused`. */
const rows = {
  user_restart: Transitions.userRestart,
  auto_restart: Transitions.autoRestart,
  wake: Transitions.woken,
  resume: Transitions.resumed
} as const

/**
 * Sets `provisioning` (from any status but `removed`) with `url = ''` (and no idle stretch) and records `WORKSPACE_PROVISIONING`
 * `{name,tier,runtime,source}`. None when the row is removed or gone (nothing written, nothing to publish).
 */
export const markProvisioning = (
  statusWrites: StatusWrites["Type"],
  workspace: Reprovisioned,
  source: Extract<EventSource, "user_restart" | "auto_restart" | "wake" | "resume">
): Effect.Effect<Recorded, DatastoreUnavailable> =>
  statusWrites.transition({
    id: workspace.id,
    row: rows[source],
    input: workspace,
    // a new workload starts a new idle stretch (§2.4): nothing it did not do counts against it
    set: { url: "", idleSince: null }
  })
