/// <reference types="emscripten" preserve="true" />
// PGlite's declarations use the Emscripten globals without referencing them: named here so every consumer of ours loads them.
/**
 * The embedded database: an in-process PGlite behind `SqlClient` (STYLE §6). PGlite is one connection, so a 1-permit
 * semaphore serializes access: a plain statement holds the permit for itself, a transaction until COMMIT/ROLLBACK.
 * Without it, concurrent transactions interleave on the one connection and lose updates. Consequence: a fiber that
 * holds a transaction must never wait on another fiber that needs the database (it would deadlock).
 */
import { PGlite } from "@electric-sql/pglite"
import { Reactivity } from "@effect/experimental"
import { SqlClient, SqlConnection, SqlError, Statement } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Stream, String } from "effect"
import type { DatabaseUnusable } from "./DatabaseUnusable.js"
import { dataDirUnusable } from "./DatabaseUnusable.js"
import * as DataDir from "./DataDir.js"

/** The PGlite instance, for the rare adapter that needs it directly (none of the repositories do). */
export class EmbeddedDatabase extends Context.Tag("@berth/adapters/EmbeddedDatabase")<EmbeddedDatabase, PGlite>() {}

const wrap = <A>(message: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new SqlError.SqlError({ cause, message }) })

/** How long PGlite may take to open (about 2.5 s on a healthy machine): start-up never hangs on it. */
export const OPEN_DEADLINE = "60 seconds"

const open = (dataDir: string | undefined): Effect.Effect<PGlite, SqlError.SqlError | DatabaseUnusable> =>
  dataDir === undefined || dataDir.startsWith("memory://")
    ? wrap("PGlite: failed to open the embedded database", () => PGlite.create(dataDir))
    : Effect.zipRight(
      DataDir.prepare(dataDir),
      wrap("PGlite: failed to open the embedded database", () => PGlite.create(dataDir)).pipe(
        Effect.mapError((e) =>
          dataDirUnusable(dataDir, `could not be opened by PGlite: ${e.cause instanceof Error ? e.cause.message : e.message}`)),
        Effect.timeoutFail({
          duration: OPEN_DEADLINE,
          onTimeout: () => dataDirUnusable(dataDir, `was not opened by PGlite within ${OPEN_DEADLINE}`)
        })
      )
    )

/** `undefined` or `memory://` → in memory (tests); otherwise a data directory, created on first use. */
export const make = (dataDir: string | undefined) =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      // Interruptible, so SIGINT during start-up is honoured; a PGlite that opens after that is left to process exit.
      Effect.interruptible(open(dataDir)),
      (db) => Effect.promise(() => db.close()).pipe(Effect.timeoutOption("5 seconds"))
    )

    // With parameters: one prepared statement. Without: `exec`, so multi-statement migrations work (last result wins).
    const run = (sql: string, params: ReadonlyArray<unknown>, rowMode: "object" | "array") =>
      params.length > 0 || rowMode === "array"
        ? wrap("Failed to execute statement", () => db.query<object>(sql, [...params], { rowMode })).pipe(
          Effect.map((r) => r.rows as ReadonlyArray<object>)
        )
        : wrap("Failed to execute statement", () => db.exec(sql)).pipe(
          Effect.map((results) => (results.at(-1)?.rows ?? []) as ReadonlyArray<object>)
        )

    const connection: SqlConnection.Connection = {
      execute: (sql, params, transformRows) =>
        Effect.map(run(sql, params, "object"), (rows) => (transformRows ? transformRows(rows) : rows)),
      executeRaw: (sql, params) => run(sql, params, "object"),
      executeStream: (sql, params, transformRows) =>
        Stream.fromIterableEffect(
          Effect.map(run(sql, params, "object"), (rows) => (transformRows ? transformRows(rows) : rows))
        ),
      executeValues: (sql, params) =>
        Effect.map(run(sql, params, "array"), (rows) => rows as unknown as ReadonlyArray<ReadonlyArray<unknown>>),
      executeUnprepared: (sql, params, transformRows) =>
        Effect.map(run(sql, params, "object"), (rows) => (transformRows ? transformRows(rows) : rows))
    }

    const permit = yield* Effect.makeSemaphore(1)
    const acquirer = Effect.as(
      Effect.acquireRelease(permit.take(1), () => permit.release(1)),
      connection
    )

    const client = yield* SqlClient.make({
      acquirer,
      transactionAcquirer: acquirer,
      // The same name transforms as PgClient; JSON values (agent cards, payloads) keep their keys untouched.
      compiler: PgClient.makeCompiler(String.camelToSnake, false),
      transformRows: Statement.defaultTransforms(String.snakeToCamel, false).array,
      spanAttributes: [["db.system.name", "pglite"]]
    })
    return { client, db } as const
  })

/** `SqlClient` (and the raw PGlite) over an embedded database in `dataDir` (undefined → in memory). */
export const layer = (
  dataDir: string | undefined
): Layer.Layer<SqlClient.SqlClient | EmbeddedDatabase, SqlError.SqlError | DatabaseUnusable> =>
  Layer.scopedContext(
    Effect.map(make(dataDir), ({ client, db }) =>
      Context.make(SqlClient.SqlClient, client).pipe(Context.add(EmbeddedDatabase, db)))
  ).pipe(Layer.provide(Reactivity.layer))
