import type { Effect } from "effect"
import { Context } from "effect"
import type { StatusChange, SweepChange } from "../domain/Transitions.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceEvent } from "../domain/Events.js"
import type { Recorded } from "./WorkspaceRecords.js"

/**
 * Every status change of an existing row (§2.3), each a row of `Transitions`: the adapter compiles the row (its
 * `from` and `to` bound as parameters, `removed` always excluded) and records its event in the same statement.
 * Datastore faults fail with `DatastoreUnavailable`.
 */
export interface StatusWritesShape {
  /** THE status write: one row's change of one workspace, guarded by the row's `from` (and `olderThanSeconds`); 0 rows → None, no event. */
  readonly transition: <Input>(change: StatusChange<Input>) => Effect.Effect<Recorded, DatastoreUnavailable>
  /**
   * A sweep row over every qualifying workspace, one indexed statement: rows in `rule.from` of `rule.runtimes` whose
   * `rule.clock` is older than `staleAfterSeconds` → `rule.to`, recording one `rule.event` per row (recorded events back).
   */
  readonly transitionWhere: (change: SweepChange) => Effect.Effect<ReadonlyArray<WorkspaceEvent>, DatastoreUnavailable>
}

export class StatusWrites extends Context.Tag("@berth/core/StatusWrites")<StatusWrites, StatusWritesShape>() {}
