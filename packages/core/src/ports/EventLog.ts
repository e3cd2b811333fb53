import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceEvent } from "../domain/Events.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { EventRecord } from "./WorkspaceRecords.js"

/** A row of `structure_events`: a recorded event with its row id and sequence number. */
export interface StoredEvent extends WorkspaceEvent {
  readonly id: string
  readonly seq: number
}

/** Reads (and, for events without a state change, writes) `structure_events` (§3.4, §5.12, §6). */
export class EventLog extends Context.Tag("@berth/core/EventLog")<EventLog, {
  /** Records an event on its own (state changes record theirs through the repository instead). */
  readonly record: (workspaceId: WorkspaceId | null, event: EventRecord) => Effect.Effect<StoredEvent, DatastoreUnavailable>
  /** The latest `limit` events, newest first, optionally of one workspace (`GET /events`, `/events/:id`). */
  readonly latest: (limit: number, workspaceId?: WorkspaceId) => Effect.Effect<ReadonlyArray<StoredEvent>, DatastoreUnavailable>
  /** A workspace's events with `seq` greater than `afterSeq`, oldest first (SSE `Last-Event-ID` replay). */
  readonly after: (workspaceId: WorkspaceId, afterSeq: number) => Effect.Effect<ReadonlyArray<StoredEvent>, DatastoreUnavailable>
}>() {}
