import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { ProvisioningRow, WorkspaceRef } from "./WorkspaceRecords.js"

/** The rows the background sweeps of §7 look at, each one indexed statement. Datastore faults fail with `DatastoreUnavailable`. */
export interface SweepCandidatesShape {
  /** Rows of the given ids that exist, with their status (orphan sweeper passes 1 and 2). */
  readonly refs: (ids: ReadonlyArray<WorkspaceId>) => Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /**
   * Rows whose id starts with one of `prefixes`, the 12 characters of a legacy container name `ws-<8 hex>-<3 hex>`
   * (orphan sweeper passes 1 and 2, §7.3), whatever their status, in one indexed statement. A prefix no id can start
   * with matches nothing.
   */
  readonly refsByIdPrefix: (prefixes: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /** `removed` rows still holding an `instance_id` (CP orphan reconciler, §7.4). */
  readonly removedWithInstance: Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /** `online`/`degraded` rows with runtime ≠ `external` (health sweep Docker pass, §7.1). */
  readonly onlineContainerWorkspaces: Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /** `provisioning` rows with their age (§7.5); the per-row deadline is core's, the write a guarded `transition`. */
  readonly provisioningRows: Effect.Effect<ReadonlyArray<ProvisioningRow>, DatastoreUnavailable>
}

export class SweepCandidates extends Context.Tag("@berth/core/SweepCandidates")<SweepCandidates, SweepCandidatesShape>() {}
