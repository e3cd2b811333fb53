import { Schema } from "effect"

/**
 * The ten workspace statuses in the contract's canonical order (§2.1). This list is the one source of truth:
 * the Postgres enum `workspace_status`, the gates and every schema derive from it.
 */
export const statuses = [
  "provisioning",
  "online",
  "offline",
  "degraded",
  "failed",
  "removed",
  "paused",
  "hibernated",
  "hibernating",
  "awaiting_agent"
] as const

export const WorkspaceStatus = Schema.Literal(...statuses)
export type WorkspaceStatus = typeof WorkspaceStatus.Type

export const isStatus = Schema.is(WorkspaceStatus)

/** `removed` is terminal: every status write carries a guard that excludes it (§2.3). */
export const terminal: WorkspaceStatus = "removed"
