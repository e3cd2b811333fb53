/**
 * `ListPages` over `SqlClient`: keyset pages of the workspace list and the activity list. A cursor is base64url JSON
 * `[created_at, id]`, the position of the last row handed out; `created_at` is rendered by the database to the
 * microsecond (a JS Date would drop the microseconds and repeat or skip rows). Each page reads `limit + 1` rows in
 * one indexed statement: the extra row only says whether there is a next page.
 */
import { SqlClient } from "@effect/sql"
import type { Statement } from "@effect/sql"
import type { Page } from "@berth/core"
import { Errors, invalidCursorMessage, ListPages, WorkspaceStatus } from "@berth/core"
import { Effect, Either, Layer, Schema } from "effect"
import { activityColumns, activityQuery, ActivityRow } from "./ActivityRepoSql.js"
import { datastore } from "./Rows.js"
import { selectWorkspace, WorkspaceRow } from "./WorkspaceRows.js"

/** A decoded cursor: the exact `created_at` text and the id of the last row of the previous page. */
export interface Position {
  readonly at: string
  readonly id: string
}

const Cursor = Schema.Tuple(
  Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)),
  Schema.UUID
)
const CursorJson = Schema.parseJson(Cursor)

/** The opaque cursor of a position. */
export const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify([p.at, p.id])).toString("base64url")

/** The position of a cursor; `invalid cursor` when it is not one `encodeCursor` made. */
export const decodeCursor = (cursor: string): Either.Either<Position, Errors.InvalidInput> =>
  Schema.decodeUnknownEither(CursorJson)(Buffer.from(cursor, "base64url").toString("utf8")).pipe(
    Either.map(([at, id]) => ({ at, id: id.toLowerCase() })),
    Either.mapLeft(() => new Errors.InvalidInput({ message: invalidCursorMessage }))
  )

const position = (cursor: string | null) =>
  cursor === null ? Effect.succeed(null) : Either.match(decodeCursor(cursor), { onLeft: Effect.fail, onRight: Effect.succeed })

/** `created_at` as UTC text with microseconds, the form a cursor carries. */
const cursorAt = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** The first `limit` rows without their cursor column, and the next cursor when a further row was read. */
const paged = <A extends { readonly id: string; readonly cursorAt: string }>(
  rows: ReadonlyArray<A>,
  limit: number
): Page<Omit<A, "cursorAt">> => {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items: items.map(({ cursorAt: _, ...row }) => row),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ at: last.cursorAt, id: last.id }) : null
  }
}

const WorkspacePageRows = Schema.Array(Schema.extend(WorkspaceRow, Schema.Struct({ cursorAt: Schema.String })))
const ActivityPageRows = Schema.Array(Schema.extend(ActivityRow, Schema.Struct({ cursorAt: Schema.String })))

export const make: Effect.Effect<ListPages["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  /** `(created_at, id) > / < (cursor)`: a row comparison the `(…, created_at, id)` indexes serve. */
  const after = (p: Position | null, ascending: boolean, prefix: string): ReadonlyArray<Statement.Fragment> =>
    p === null
      ? []
      : [sql`(${sql.literal(`${prefix}created_at, ${prefix}id`)}) ${sql.literal(ascending ? ">" : "<")} (${p.at}::timestamptz, ${p.id}::uuid)`]

  return ListPages.of({
    workspaces: (cursor, limit) =>
      Effect.gen(function* () {
        const from = yield* position(cursor)
        const conditions = [sql`w.status <> ${WorkspaceStatus.terminal}::workspace_status`, ...after(from, true, "w.")]
        const rows = yield* sql`
          SELECT p.*, ${sql.literal(cursorAt("p.created_at"))} AS cursor_at FROM (
            ${selectWorkspace(sql)} WHERE ${sql.and(conditions)} ORDER BY w.created_at, w.id LIMIT ${limit + 1}
          ) p ORDER BY p.created_at, p.id`
        return paged(yield* Schema.decodeUnknown(WorkspacePageRows)(rows), limit)
      }).pipe(datastore),
    activity: (workspaceId, filter, cursor) =>
      Effect.gen(function* () {
        const from = yield* position(cursor)
        const { conditions, ascending } = yield* activityQuery(sql, workspaceId, filter)
        const order = sql.literal(ascending ? "ASC" : "DESC")
        const rows = yield* sql`
          SELECT ${sql.literal(activityColumns)}, ${sql.literal(cursorAt("created_at"))} AS cursor_at FROM activity_logs
          WHERE ${sql.and([...conditions, ...after(from, ascending, "")])}
          ORDER BY created_at ${order}, id ${order} LIMIT ${filter.limit + 1}`
        return paged(yield* Schema.decodeUnknown(ActivityPageRows)(rows), filter.limit)
      }).pipe(datastore)
  })
})

export const layer = Layer.effect(ListPages, make)
