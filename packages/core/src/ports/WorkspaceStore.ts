import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable, SecretWriteFailed } from "../domain/Errors.js"
import type { WorkspaceEvent } from "../domain/Events.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { WorkspaceStatus } from "../domain/WorkspaceStatus.js"
import type { EventRecord, NewWorkspace, Recorded, Workspace, WorkspaceChanges } from "./WorkspaceRecords.js"

/** Workspace rows (§3.1): create, read, the columns a provisioner records, delete and purge, counts. Recorded events come back for the caller to publish after commit. Datastore faults fail with `DatastoreUnavailable`. */
export interface WorkspaceStoreShape {
  /** Inserts the row (status `provisioning`, `awareness_namespace = workspace:<id>`) and its secrets, records `event`. */
  readonly create: (input: NewWorkspace) => Effect.Effect<
    { readonly workspace: Workspace; readonly event: WorkspaceEvent },
    DatastoreUnavailable | SecretWriteFailed
  >
  /** One row whatever its status (`removed` included), with its layout. */
  readonly get: (id: WorkspaceId) => Effect.Effect<Option.Option<Workspace>, DatastoreUnavailable>
  /** Non-removed rows ordered by `created_at`, with their layouts (§5.3). */
  readonly list: Effect.Effect<ReadonlyArray<Workspace>, DatastoreUnavailable>
  /** Applies an edit (one transaction): the row's columns that are present, the layout's, and `event` when given; no status change. */
  readonly update: (id: WorkspaceId, changes: WorkspaceChanges, event?: EventRecord) => Effect.Effect<Recorded, DatastoreUnavailable>
  /** Writes the canvas position (upsert; `collapsed` false). Non-fatal for create, so separate. */
  readonly setCanvasLayout: (id: WorkspaceId, x: number, y: number) => Effect.Effect<void, DatastoreUnavailable>
  /** Sets `url` on a non-removed row (the provisioner's recorded URL); false when nothing changed. */
  readonly setUrl: (id: WorkspaceId, url: string | null) => Effect.Effect<boolean, DatastoreUnavailable>
  /** Stamps `last_outbound_at = now()`: the workspace just reached a peer through the A2A proxy (§5.13). */
  readonly recordOutbound: (id: WorkspaceId) => Effect.Effect<void, DatastoreUnavailable>
  /** Sets or clears `instance_id` (CP start stores it; a successful CP stop clears it), whatever the status. */
  readonly setInstanceId: (id: WorkspaceId, instanceId: string | null) => Effect.Effect<void, DatastoreUnavailable>
  /**
   * Delete, one transaction: marks each row `removed` (rows already removed are left and record nothing), deletes
   * their canvas layouts, revokes all their tokens; returns the events recorded (one per changed row).
   */
  readonly markRemoved: (entries: ReadonlyArray<{ readonly id: WorkspaceId; readonly event: EventRecord }>) => Effect.Effect<ReadonlyArray<WorkspaceEvent>, DatastoreUnavailable>
  /** `?purge=true`: hard-deletes rows and their activity, secrets, tokens, config, layouts, leak records; keeps events. */
  readonly purge: (ids: ReadonlyArray<WorkspaceId>) => Effect.Effect<void, DatastoreUnavailable>
  /** Row count per status (the `berth_workspaces{status}` gauge). */
  readonly countByStatus: Effect.Effect<ReadonlyArray<{ readonly status: WorkspaceStatus; readonly count: number }>, DatastoreUnavailable>
}

export class WorkspaceStore extends Context.Tag("@berth/core/WorkspaceStore")<WorkspaceStore, WorkspaceStoreShape>() {}
