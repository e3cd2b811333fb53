import { Schema } from "effect"

/** Event names of §6. Recorded events are stored in `structure_events`; broadcast-only ones are only published. */
export const recordedEventTypes = [
  "WORKSPACE_PROVISIONING",
  "WORKSPACE_ONLINE",
  "WORKSPACE_AWAITING_AGENT",
  "WORKSPACE_PROVISION_FAILED",
  "WORKSPACE_OFFLINE",
  "WORKSPACE_DEGRADED",
  "WORKSPACE_REMOVED",
  "AGENT_CARD_UPDATED",
  "WORKSPACE_MOVED",
  "WORKSPACE_PAUSED",
  "WORKSPACE_HIBERNATING",
  "WORKSPACE_HIBERNATED",
  "WORKSPACE_HIBERNATE_FAILED"
] as const

export const broadcastEventTypes = ["WORKSPACE_HEARTBEAT", "TASK_UPDATED", "ACTIVITY_LOGGED"] as const

export const eventTypes = [...recordedEventTypes, ...broadcastEventTypes] as const
export const EventType = Schema.Literal(...eventTypes)
export type EventType = typeof EventType.Type

export const RecordedEventType = Schema.Literal(...recordedEventTypes)
export type RecordedEventType = typeof RecordedEventType.Type

/** The `source` every status event's payload carries (§6). */
export const eventSources = [
  "create",
  "register",
  "heartbeat",
  "health_sweep",
  "liveness",
  "user_restart",
  "auto_restart",
  "provision",
  "provision_defect",
  "no_backend",
  "provision_timeout_sweep",
  "bootstrap_watcher",
  "delete",
  "pause",
  "resume",
  "hibernate",
  "wake",
  "idle_sweep",
  "a2a_proxy"
] as const
export const EventSource = Schema.Literal(...eventSources)
export type EventSource = typeof EventSource.Type

/**
 * One event as it travels the bus. `seq` is the `structure_events` sequence for recorded events (the SSE id) and
 * absent for broadcast-only ones. `workspaceId` is a lower-case UUID or null.
 */
export interface WorkspaceEvent {
  readonly seq?: number
  readonly type: EventType
  readonly workspaceId: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly createdAt: Date
}
