import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../Errors.js"
import type { WorkspaceEvent } from "../Events.js"
import type { Recorded, Transition } from "./WorkspaceRecords.js"

/** Every status change of an existing row (§2.3): the one guarded write and the set-based sweep writes. Datastore faults fail with `DatastoreUnavailable`. */
export interface StatusWritesShape {
  /** THE status write: guarded by `from` (never leaves `removed`) and `olderThanSeconds`; 0 rows → None, no event. */
  readonly transition: (t: Transition) => Effect.Effect<Recorded, DatastoreUnavailable>
  /**
   * Health sweep remote pass, one statement: `online`/`degraded` external rows whose
   * `COALESCE(last_heartbeat_at, updated_at)` is older than `staleAfterSeconds` → `awaiting_agent`, recording
   * `WORKSPACE_AWAITING_AGENT` `{name,external:true,source:"health_sweep"}` per row.
   */
  readonly markStaleExternalAwaiting: (staleAfterSeconds: number) => Effect.Effect<ReadonlyArray<WorkspaceEvent>, DatastoreUnavailable>
  /**
   * Liveness, one statement: `online`/`degraded` non-external rows with `last_heartbeat_at` older than
   * `staleAfterSeconds` → `offline`, recording `WORKSPACE_OFFLINE` `{source:"liveness"}` per row.
   */
  readonly markLivenessOffline: (staleAfterSeconds: number) => Effect.Effect<ReadonlyArray<WorkspaceEvent>, DatastoreUnavailable>
}

export class StatusWrites extends Context.Tag("@berth/core/StatusWrites")<StatusWrites, StatusWritesShape>() {}
