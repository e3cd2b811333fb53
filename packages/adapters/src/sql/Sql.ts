/**
 * Chooses the database (§1): `DATABASE_URL` set → Postgres through `@effect/sql-pg`; unset → the embedded PGlite in
 * `BERTH_DATA_DIR` (default `./.berth/data`). Both get the same name transforms (camelCase in code, snake_case in SQL)
 * and leave JSON values untouched, so the repositories have one code path.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import type { ConfigError } from "effect"
import { Config, Effect, Layer, Option, Redacted, String } from "effect"
import { DatabaseUnusable, fromConnectError, parsePostgresUrl } from "./DatabaseUnusable.js"
import * as EmbeddedSql from "./EmbeddedSql.js"

export type Backend =
  | { readonly _tag: "Postgres"; readonly url: Redacted.Redacted }
  | { readonly _tag: "Embedded"; readonly dataDir: string }

/** The database choice, read once under the contract's names. */
export const BackendConfig: Config.Config<Backend> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  dataDir: Config.string("BERTH_DATA_DIR").pipe(Config.withDefault("./.berth/data"))
}).pipe(Config.map(({ url, dataDir }): Backend =>
  Option.match(Option.filter(url, (u) => Redacted.value(u) !== ""), {
    onNone: () => ({ _tag: "Embedded", dataDir }),
    onSome: (url) => ({ _tag: "Postgres", url })
  })))

/** A Postgres client with Berth's transforms (also used by tests with a fresh database URL). */
export const pgLayer = (url: Redacted.Redacted, options: { readonly maxConnections?: number } = {}) =>
  PgClient.layer({
    url,
    transformQueryNames: String.camelToSnake,
    transformResultNames: String.snakeToCamel,
    // Agent cards and event payloads are wire JSON: their keys must not be renamed.
    transformJson: false,
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections })
  })

/**
 * The Postgres client of `DATABASE_URL`, its first connect bounded (PgClient's 5 s) and a failure told as what the
 * operator must fix: a URL that is not Postgres's, a database that does not exist, a host that is unreachable.
 */
export const checkedPgLayer = (url: Redacted.Redacted): Layer.Layer<SqlClient.SqlClient, DatabaseUnusable> => {
  const target = parsePostgresUrl(url)
  if (target instanceof DatabaseUnusable) return Layer.fail(target)
  return pgLayer(url).pipe(Layer.mapError((error) => fromConnectError(target, error)))
}

/** `SqlClient` for a backend. */
export const layerFor = (backend: Backend): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError | DatabaseUnusable> =>
  backend._tag === "Postgres" ? checkedPgLayer(backend.url) : EmbeddedSql.layer(backend.dataDir)

/** `SqlClient` chosen from the environment. */
export const SqlLive: Layer.Layer<SqlClient.SqlClient, SqlError.SqlError | DatabaseUnusable | ConfigError.ConfigError> =
  Layer.unwrapEffect(Effect.map(BackendConfig, layerFor))
