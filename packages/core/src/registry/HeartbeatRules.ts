/**
 * The heartbeat status machine (§5.11 rule 3): which row of the transition table one beat asks for, as a pure
 * decision on the status the beat read. The rows themselves (statuses, events, payloads) live in `Transitions`.
 */
import * as Transitions from "../domain/Transitions.js"
import type { WorkspaceStatus } from "../domain/WorkspaceStatus.js"

/** What a beat says about the agent, as far as its status is concerned. */
export interface BeatSignals extends Transitions.BeatSample {
  /** `runtime_state: "wedged"`. */
  readonly wedged: boolean
  /** The agent manages its own status (`runtime_metadata.capabilities.status_mgmt`): error rates move nothing. */
  readonly statusMgmt: boolean
}

/** A status change a beat asks for (§2.3): its row of the transition table, and what that row records. */
export interface Change {
  readonly row: Transitions.RowTransition<Transitions.BeatSample>
  readonly from: WorkspaceStatus
  readonly to: WorkspaceStatus
  readonly type: Transitions.RowTransition["event"]
  readonly payload: Readonly<Record<string, unknown>>
}

/** The error rate at which an `online` workspace degrades, and below which a `degraded` one recovers. */
export const DEGRADE_AT = 0.5
export const RECOVER_BELOW = 0.1

const change = (row: Transitions.RowTransition<Transitions.BeatSample>, from: WorkspaceStatus, beat: BeatSignals): Change =>
  ({ row, from, to: row.to, type: row.event, payload: row.payload(beat) })

/** The change for a beat on a workspace whose status before the beat was `status`; undefined when none. */
export const changeFor = (status: WorkspaceStatus, beat: BeatSignals): Change | undefined => {
  if (beat.wedged && status === "online") return change(Transitions.heartbeatWedged, status, beat)
  if (!beat.statusMgmt) {
    if (status === "online" && beat.errorRate >= DEGRADE_AT) return change(Transitions.heartbeatErrorRate, status, beat)
    if (status === "degraded" && beat.errorRate < RECOVER_BELOW && !beat.wedged) {
      return change(Transitions.heartbeatRecovered, status, beat)
    }
  }
  if (status === "offline") return change(Transitions.heartbeatBack, status, beat)
  if (status === "provisioning") return change(Transitions.heartbeatFromProvisioning, status, beat)
  if (status === "awaiting_agent") return change(Transitions.heartbeatFromAwaiting, status, beat)
  return undefined
}
