/** `EventLog` over `SqlClient`: reads `structure_events` by `seq` (the SSE id) and records stand-alone events. */
import { SqlClient } from "@effect/sql"
import { EventLog } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { eventColumns, EventRows, toStoredEvents } from "./EventRows.js"
import { datastore } from "./Rows.js"

export const make: Effect.Effect<EventLog["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const events = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(EventRows)), toStoredEvents).pipe(datastore)

  return EventLog.of({
    record: (workspaceId, event) =>
      events(sql`
        INSERT INTO structure_events (event_type, workspace_id, payload)
        VALUES (${event.type}, ${workspaceId}, ${JSON.stringify(event.payload)}::jsonb)
        RETURNING ${sql.literal(eventColumns)}`).pipe(
        Effect.flatMap((rows) => rows[0] === undefined ? Effect.die(new Error("INSERT returned no row")) : Effect.succeed(rows[0]))
      ),
    latest: (limit, workspaceId) =>
      events(sql`
        SELECT ${sql.literal(eventColumns)} FROM structure_events
        WHERE ${workspaceId === undefined ? sql.literal("true") : sql`workspace_id = ${workspaceId}`}
        ORDER BY seq DESC LIMIT ${limit}`),
    after: (workspaceId, afterSeq) =>
      events(sql`
        SELECT ${sql.literal(eventColumns)} FROM structure_events
        WHERE workspace_id = ${workspaceId} AND seq > ${afterSeq}::bigint ORDER BY seq`)
  })
})

export const layer = Layer.effect(EventLog, make)
