/** Workspace rows for use-case tests, written through the narrow ports as the use cases read them. */
import type { NewWorkspace, WorkspaceId, WorkspaceStatus } from "@berth/core"
import { StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
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

/** A set-up row no use case has (some statuses, e.g. `paused`, nothing sets yet): any live status → `to`. */
const setUpRow = (to: WorkspaceStatus.WorkspaceStatus): Transitions.RowTransition => ({
  name: `testSetUp:${to}`, from: Transitions.anyButRemoved, to, event: "WORKSPACE_ONLINE", source: "register",
  payload: () => ({ test: true })
})

/** Moves a workspace to `to` from any live status (set-up). */
export const setStatus = (id: WorkspaceId.WorkspaceId, to: WorkspaceStatus.WorkspaceStatus) =>
  Effect.flatMap(StatusWrites, (writes) => writes.transition({ id, row: setUpRow(to), input: undefined }))
