import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** An open `cp_leak_suspects` row: a CP stop that exhausted its retries (§8.4). */
export interface LeakSuspect {
  readonly id: string
  readonly workspaceId: WorkspaceId
  readonly instanceId: string | null
  readonly source: string
  readonly lastError: string
  readonly createdAt: Date
}

/** `cp_leak_suspects` (§3.4, §7.4, §8.4). */
export class LeakSuspects extends Context.Tag("@berth/core/LeakSuspects")<LeakSuspects, {
  /** Records an exhausted CP stop. */
  readonly record: (input: Omit<LeakSuspect, "id" | "createdAt">) => Effect.Effect<void, DatastoreUnavailable>
  /** Rows not yet resolved, oldest first. */
  readonly listOpen: Effect.Effect<ReadonlyArray<LeakSuspect>, DatastoreUnavailable>
  /** Sets `resolved_at` after a successful stop. */
  readonly resolve: (id: string) => Effect.Effect<void, DatastoreUnavailable>
}>() {}
