import type { Effect } from "effect"
import { Context } from "effect"
import type { ActivityFilter } from "../domain/ActivityFilter.js"
import type { ActivityCursorNotFound, DatastoreUnavailable, InvalidInput } from "../domain/Errors.js"
import type { Activity } from "./ActivityRepository.js"
import type { Workspace } from "./WorkspaceRecords.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** One page: its rows, and the cursor of the next page (null on the last one). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | null
}

/** The message of a cursor that is not one this server handed out. */
export const invalidCursorMessage = "invalid cursor"

/**
 * Keyset pagination of the two long lists (a Berth addition, opt-in). A cursor is opaque to clients: it encodes
 * the exact position of the last row of the previous page (`created_at` to the microsecond, then `id`), so a page
 * costs one indexed statement reading `limit + 1` rows — no `COUNT`, no offset. Rows deleted meanwhile never shift
 * a page. A cursor that does not decode fails with `InvalidInput` (`invalid cursor`).
 */
export class ListPages extends Context.Tag("@berth/core/ListPages")<ListPages, {
  /** Non-removed workspaces in `created_at, id` order (the order of `GET /workspaces`), after `cursor`. */
  readonly workspaces: (
    cursor: string | null,
    limit: number
  ) => Effect.Effect<Page<Workspace>, DatastoreUnavailable | InvalidInput>
  /**
   * The activity list of §5.10 with the same filters and order (descending, or ascending with `sinceId`), after
   * `cursor`; `filter.limit` is the page size.
   */
  readonly activity: (
    workspaceId: WorkspaceId,
    filter: ActivityFilter,
    cursor: string | null
  ) => Effect.Effect<Page<Activity>, DatastoreUnavailable | InvalidInput | ActivityCursorNotFound>
}>() {}
