/** The heartbeat status machine (§5.11 rule 3): which status change one beat asks for, as a pure decision. */
import type { WorkspaceStatus } from "../WorkspaceStatus.js"

/** What a beat says about the agent, as far as its status is concerned. */
export interface BeatSignals {
  readonly errorRate: number
  readonly sampleError: string | null
  /** `runtime_state: "wedged"`. */
  readonly wedged: boolean
  /** The agent manages its own status (`runtime_metadata.capabilities.status_mgmt`): error rates move nothing. */
  readonly statusMgmt: boolean
}

/** A status change a beat asks for (§2.3); the payload gets `source: "heartbeat"` where it is recorded. */
export interface Change {
  readonly to: WorkspaceStatus
  readonly from: WorkspaceStatus
  readonly type: "WORKSPACE_DEGRADED" | "WORKSPACE_ONLINE"
  readonly payload: Readonly<Record<string, unknown>>
}

/** The error rate at which an `online` workspace degrades, and below which a `degraded` one recovers. */
export const DEGRADE_AT = 0.5
export const RECOVER_BELOW = 0.1

/** The change for a beat on a workspace whose status before the beat was `status`; undefined when none. */
export const changeFor = (status: WorkspaceStatus, beat: BeatSignals): Change | undefined => {
  if (beat.wedged && status === "online") {
    return { from: status, to: "degraded", type: "WORKSPACE_DEGRADED", payload: { runtime_state: "wedged", sample_error: beat.sampleError } }
  }
  if (!beat.statusMgmt) {
    if (status === "online" && beat.errorRate >= DEGRADE_AT) {
      return { from: status, to: "degraded", type: "WORKSPACE_DEGRADED", payload: { error_rate: beat.errorRate, sample_error: beat.sampleError } }
    }
    if (status === "degraded" && beat.errorRate < RECOVER_BELOW && !beat.wedged) {
      return { from: status, to: "online", type: "WORKSPACE_ONLINE", payload: {} }
    }
  }
  if (status === "offline") return { from: status, to: "online", type: "WORKSPACE_ONLINE", payload: {} }
  if (status === "provisioning" || status === "awaiting_agent") {
    return { from: status, to: "online", type: "WORKSPACE_ONLINE", payload: { recovered_from: status } }
  }
  return undefined
}
