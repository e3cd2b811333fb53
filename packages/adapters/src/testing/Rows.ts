/**
 * Workspace rows for tests, written through the narrow ports as the use cases read them: one builder shared by the
 * repository suites, core's use-case tests and the registry tests.
 */
import type { Errors, EventRecord, Events, NewWorkspace, Recorded, WorkspaceId, WorkspaceStatus } from "@berth/core"
import { StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
import { Effect } from "effect"

export const event = (type: EventRecord["type"], payload: Record<string, unknown> = {}): EventRecord => ({ type, payload })

/** A row as create stores it (a `claude-code` container workspace unless overridden). */
export const newWorkspace = (overrides: Partial<NewWorkspace> = {}): NewWorkspace => ({
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
  event: event("WORKSPACE_PROVISIONING", { name: "ws", tier: 3, runtime: "claude-code", source: "create" }),
  ...overrides
})

/** Creates a workspace and returns its id. */
export const create = (
  overrides: Partial<NewWorkspace> = {}
): Effect.Effect<WorkspaceId.WorkspaceId, Errors.DatastoreUnavailable | Errors.SecretWriteFailed, WorkspaceStore> =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.map(store.create(newWorkspace(overrides)), (r) => r.workspace.id))

/** An external workspace in poll mode, as an agent that registers later would have it. */
export const createExternal = (overrides: Partial<NewWorkspace> = {}) =>
  create({ tier: 1, runtime: "external", deliveryMode: "poll", event: event("WORKSPACE_PROVISIONING", { source: "create" }), ...overrides })

/** A test set-up row: any status but `removed` → `to` (some statuses, e.g. `paused`, no use case sets yet). */
export const setUpRow = (
  to: WorkspaceStatus.WorkspaceStatus,
  from: ReadonlyArray<WorkspaceStatus.WorkspaceStatus> = Transitions.anyButRemoved
): Transitions.RowTransition => ({
  name: `testSetUp:${to}`, from, to, event: "WORKSPACE_ONLINE", source: "register", payload: () => ({ test: true })
})

/** Moves a workspace to `to` from any live status (test set-up). */
export const setStatus = (
  id: WorkspaceId.WorkspaceId,
  to: WorkspaceStatus.WorkspaceStatus
): Effect.Effect<Recorded, Errors.DatastoreUnavailable, StatusWrites> =>
  Effect.flatMap(StatusWrites, (statusWrites) => statusWrites.transition({ id, row: setUpRow(to), input: undefined }))

/** Marks the row `removed`, as delete does. */
export const remove = (
  id: WorkspaceId.WorkspaceId
): Effect.Effect<ReadonlyArray<Events.WorkspaceEvent>, Errors.DatastoreUnavailable, WorkspaceStore> =>
  Effect.flatMap(WorkspaceStore, (store) => store.markRemoved([{ id, event: event("WORKSPACE_REMOVED", { source: "delete" }) }]))
