/**
 * Row decoding shared by the repositories, tolerant of the two drivers' differences (STYLE §6): `int8`/`bigserial`
 * come back as strings from node-postgres and as numbers from PGlite; `bytea` is never read (we select hex/base64).
 * Infrastructure failures become the ports' `DatastoreUnavailable`; a row that does not decode is a bug (a defect).
 */
import type { SqlError } from "@effect/sql"
import { Errors, WorkspaceId, WorkspaceStatus } from "@berth/core"
import type { ParseResult } from "effect"
import { Effect, Predicate, Schema } from "effect"

/** An integer column: a number (PGlite, int4) or a decimal string (node-postgres int8). */
export const Int = Schema.Union(Schema.Number, Schema.NumberFromString)

/** A timestamptz column: both drivers give a `Date`; a string is accepted for safety. */
export const Timestamp = Schema.Union(Schema.DateFromSelf, Schema.Date)

export const Id = WorkspaceId.WorkspaceId
export const Status = WorkspaceStatus.WorkspaceStatus

/** Translates a repository effect's failures: SQL faults → `DatastoreUnavailable`, undecodable rows → defect. */
export const datastore = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Extract<E, SqlError.SqlError | ParseResult.ParseError>> | Errors.DatastoreUnavailable, R> =>
  Effect.catchIf(
    effect,
    (e): e is Extract<E, SqlError.SqlError | ParseResult.ParseError> =>
      Predicate.isTagged(e, "SqlError") || Predicate.isTagged(e, "ParseError"),
    (e) =>
      Predicate.isTagged(e, "ParseError")
        ? Effect.die(e)
        : Effect.logWarning("datastore error", e).pipe(
          Effect.zipRight(Effect.fail(new Errors.DatastoreUnavailable({ message: e.message })))
        )
  )

/** A Postgres array literal (`{"a","b"}`), bound as one text parameter and cast in SQL (`::uuid[]`, `::workspace_status[]`). */
export const pgArray = (values: ReadonlyArray<string>): string =>
  `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll("\"", "\\\"")}"`).join(",")}}`

/** JSON bound as text and cast `::jsonb` in SQL (identical on both drivers); `undefined`/`null` → SQL NULL. */
export const jsonParam = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value)
