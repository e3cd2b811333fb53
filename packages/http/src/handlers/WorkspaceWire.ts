/**
 * A workspace row on the wire (§5.3, §5.4): contract field names; `url`, `last_sample_error` and `current_task` are
 * `""` when empty (upstream COALESCEs them), `role` and `workspace_dir` `null`; `provision_timeout_ms` from the shared
 * deadline resolver (§7.5), omitted for external workspaces.
 */
import type { Workspace, WorkspaceView } from "@berth/core"
import { rfc3339 } from "../wire/Errors.js"

const emptyIsNull = (s: string | null): string | null => (s === null || s === "" ? null : s)
const nullIsEmpty = (s: string | null): string => s ?? ""

/** `provision_timeout_ms` when the workspace has one (every runtime but external, §11.7). */
const deadline = (v: WorkspaceView) => (v.provisionTimeoutMs === null ? {} : { provision_timeout_ms: v.provisionTimeoutMs })

const common = (w: Workspace) => ({
  id: w.id,
  name: w.name,
  role: emptyIsNull(w.role),
  tier: w.tier,
  status: w.status,
  url: nullIsEmpty(w.url),
  parent_id: w.parentId,
  active_tasks: w.activeTasks,
  max_concurrent_tasks: w.maxConcurrentTasks,
  last_error_rate: w.lastErrorRate,
  // Also the last failure reason (a provision that failed says why on the workspace itself).
  last_sample_error: nullIsEmpty(w.lastSampleError)
})

/** One `GET /workspaces` element, in the contract's field order. */
export const toElement = (v: WorkspaceView) => {
  const w = v.workspace
  return {
    ...common(w),
    uptime_seconds: w.uptimeSeconds,
    current_task: nullIsEmpty(w.currentTask),
    runtime: w.runtime,
    workspace_dir: emptyIsNull(w.workspaceDir),
    monthly_spend: w.monthlySpend,
    x: w.x,
    y: w.y,
    collapsed: w.collapsed,
    budget_limit: w.budgetLimit,
    agent_card: w.agentCard ?? null,
    ...deadline(v)
  }
}

/** `GET /workspaces/:id`: no budget, spend, task or host path; plus `last_outbound_at` and the idle policy (§2.4). */
export const toDetail = (v: WorkspaceView) => {
  const w = v.workspace
  return {
    ...common(w),
    uptime_seconds: w.uptimeSeconds,
    runtime: w.runtime,
    x: w.x,
    y: w.y,
    collapsed: w.collapsed,
    agent_card: w.agentCard ?? null,
    ...deadline(v),
    last_outbound_at: w.lastOutboundAt === null ? null : rfc3339(w.lastOutboundAt),
    hibernation_idle_minutes: w.hibernationIdleMinutes,
    idle_since: w.idleSince === null ? null : rfc3339(w.idleSince)
  }
}
