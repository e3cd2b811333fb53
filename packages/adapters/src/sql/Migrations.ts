/**
 * Runs Berth's migrations (at start and by `berth migrate`) and then checks that the database's `workspace_status`
 * enum equals core's list: a status added to core without a migration stops Berth instead of failing at the first
 * write (§10 invariant 3).
 */
import type { DatabaseUnusable } from "./DatabaseUnusable.js"
import { Migrator, SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql"
import { WorkspaceStatus } from "@berth/core"
import type { ConfigError } from "effect"
import { Data, Effect, Schema } from "effect"
import { migrations } from "./migrations/index.js"
import { SqlLive } from "./Sql.js"

/** The database enum and core's list disagree; `missing` are in core only, `extra` in the database only. */
/**
 * The migrations did not finish in time, typically because another replica holds the migration lock and is stuck
 * (issue 17: every start-up step is bounded).
 */
export class MigrationsTimedOut extends Data.TaggedError("MigrationsTimedOut")<{ readonly seconds: number }> {
  override get message() {
    return `DATABASE_URL migrations did not finish within ${this.seconds} s; check for another replica or session ` +
      "holding the migration lock (pg_locks, advisory lock berth:migrations) and stop it, then start again"
  }
}

export class StatusEnumDrift extends Data.TaggedError("StatusEnumDrift")<{
  readonly missing: ReadonlyArray<string>
  readonly extra: ReadonlyArray<string>
  readonly orderDiffers: boolean
}> {
  override get message() {
    return `workspace_status enum drift: missing in database [${this.missing.join(", ")}], ` +
      `unknown to core [${this.extra.join(", ")}]${this.orderDiffers ? ", order differs" : ""} — add a migration`
  }
}

/** Compares core's status list with the database enum labels (in enum order); None when they agree. */
export const statusEnumDrift = (
  core: ReadonlyArray<string>,
  database: ReadonlyArray<string>
): StatusEnumDrift | undefined => {
  const missing = core.filter((s) => !database.includes(s))
  const extra = database.filter((s) => !core.includes(s))
  const orderDiffers = missing.length === 0 && extra.length === 0 && core.some((s, i) => database[i] !== s)
  return missing.length === 0 && extra.length === 0 && !orderDiffers
    ? undefined
    : new StatusEnumDrift({ missing, extra, orderDiffers })
}

const EnumLabel = Schema.Struct({ label: Schema.String })

/** The labels of `workspace_status` in enum order. */
export const databaseStatuses = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    WHERE t.typname = 'workspace_status' ORDER BY e.enumsortorder`
  return (yield* Schema.decodeUnknown(Schema.Array(EnumLabel))(rows).pipe(Effect.orDie)).map((r) => r.label)
})

/** Fails with `StatusEnumDrift` unless the database enum equals core's list. */
export const checkStatusEnum = Effect.flatMap(databaseStatuses, (labels) => {
  const drift = statusEnumDrift(WorkspaceStatus.statuses, labels)
  return drift === undefined ? Effect.void : Effect.fail(drift)
})

/** Applies pending migrations (one locked transaction) and checks the status enum; returns the migrations applied. */
export const runMigrations: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError.SqlError | StatusEnumDrift,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Replicas starting together on a fresh database would race to create the migrations table: serialize them.
  return yield* sql.withTransaction(Effect.gen(function* () {
    yield* sql`SELECT pg_advisory_xact_lock(hashtextextended('berth:migrations', 0))`
    // The Migrator probes its table with a failing `::regclass` when absent, which would abort this transaction:
    // create it first, with the Migrator's own definition.
    yield* sql`CREATE TABLE IF NOT EXISTS effect_sql_migrations (
      migration_id integer primary key,
      created_at timestamp with time zone not null default now(),
      name text not null
    )`
    const applied = yield* Migrator.make({})({ loader: Migrator.fromRecord(migrations) })
    yield* checkStatusEnum
    return applied
  }))
})

/** `berth migrate`: the database chosen by the environment (`DATABASE_URL` / `BERTH_DATA_DIR`), migrated. */
export const migrateFromEnv: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError.SqlError | DatabaseUnusable | StatusEnumDrift | ConfigError.ConfigError
> = Effect.provide(runMigrations, SqlLive)
