/**
 * `structure_events` rows ↔ core events. The `RETURNING` list and the decoder live together so every statement that
 * records an event returns the same shape. Old rows may carry `WORKSPACE_PROVISION_TIMEOUT`, which readers treat as
 * `WORKSPACE_PROVISION_FAILED` (§6); other unknown types are skipped.
 */
import type { StoredEvent } from "@berth/core"
import { Events } from "@berth/core"
import { Schema } from "effect"
import { Int, Timestamp } from "./Rows.js"

/** Column list for `RETURNING` / `SELECT` of an event row. */
export const eventColumns = "id, seq, event_type, workspace_id, payload, created_at"

export const EventRow = Schema.Struct({
  id: Schema.String,
  seq: Int,
  eventType: Schema.String,
  workspaceId: Schema.NullOr(Schema.String),
  payload: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  createdAt: Timestamp
})
export type EventRow = typeof EventRow.Type

export const EventRows = Schema.Array(EventRow)

const isEventType = Schema.is(Events.EventType)

/** The core event of a row, or undefined for a type this build does not know. */
export const toStoredEvent = (row: EventRow): StoredEvent | undefined => {
  const type = row.eventType === "WORKSPACE_PROVISION_TIMEOUT" ? "WORKSPACE_PROVISION_FAILED" : row.eventType
  if (!isEventType(type)) return undefined
  return {
    id: row.id,
    seq: row.seq,
    type,
    workspaceId: row.workspaceId,
    payload: row.payload ?? {},
    createdAt: row.createdAt
  }
}

/** Every known event of the rows, in order. */
export const toStoredEvents = (rows: ReadonlyArray<EventRow>): ReadonlyArray<StoredEvent> =>
  rows.flatMap((row) => {
    const event = toStoredEvent(row)
    return event === undefined ? [] : [event]
  })
