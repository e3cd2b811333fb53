/** Workspace rows for use-case tests, written through the narrow ports as the use cases read them. */
import type { NewWorkspace, WorkspaceId, WorkspaceStatus } from "@berth/core"
import { StatusWrites, WorkspaceStore } from "@berth/core"
import { Effect } from "effect"

const newWorkspace = (overrides: Partial<NewWorkspace>): NewWorkspace => ({
  name: "ws",
  role: null,
  tier: 3,
  runtime: "claude-code",
  parentId: null,
  workspaceDir: null,
  workspaceAccess: "none",
  deliveryMode: "push",
  budgetLimit: null,
  maxConcurrentTasks: 1,
  secrets: {},
  event: { type: "WORKSPACE_PROVISIONING", payload: { name: "ws", tier: 3, runtime: "claude-code", source: "create" } },
  ...overrides
})

/** Creates a workspace and returns its id. */
export const create = (overrides: Partial<NewWorkspace> = {}) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.map(store.create(newWorkspace(overrides)), (r) => r.workspace.id))

/** Moves a workspace to `to` from any live status (set-up). */
export const setStatus = (id: WorkspaceId.WorkspaceId, to: WorkspaceStatus.WorkspaceStatus) =>
  Effect.flatMap(StatusWrites, (writes) =>
    writes.transition({ id, to, from: "anyButRemoved", event: { type: "WORKSPACE_ONLINE", payload: { source: "test" } } }))
