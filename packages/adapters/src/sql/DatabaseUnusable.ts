/**
 * Why the database chosen at start cannot be used (§1), told the way an operator can act on it: the setting at
 * fault, what is wrong, and the fix. Built from a failed Postgres connect or a data folder PGlite cannot use; the
 * composition root prints it as one line. Never carries the URL itself: it may hold a password.
 */
import { Data, Predicate, Redacted } from "effect"
import type { SqlError } from "@effect/sql"

export class DatabaseUnusable extends Data.TaggedError("DatabaseUnusable")<{
  readonly setting: "DATABASE_URL" | "BERTH_DATA_DIR"
  readonly problem: string
  readonly fix: string
}> {}

const URL_FORM = "postgres://USER:PASSWORD@HOST:5432/DATABASE"

export interface PostgresTarget {
  readonly host: string
  readonly database: string
}

/** The parts of a Postgres URL worth naming in a message, or why it is not one. */
export const parsePostgresUrl = (url: Redacted.Redacted): PostgresTarget | DatabaseUnusable => {
  const notPostgres = new DatabaseUnusable({
    setting: "DATABASE_URL",
    problem: "is not a Postgres URL",
    fix: `set it to ${URL_FORM}, or unset it to use the embedded database in BERTH_DATA_DIR`
  })
  let parsed: URL
  try {
    parsed = new URL(Redacted.value(url))
  } catch {
    return notPostgres
  }
  if (!["postgres:", "postgresql:"].includes(parsed.protocol) || parsed.hostname === "") return notPostgres
  return {
    host: parsed.port === "" ? parsed.hostname : `${parsed.hostname}:${parsed.port}`,
    database: decodeURIComponent(parsed.pathname.slice(1))
  }
}

/** The `code` of a node-postgres or Node system error, if any. */
export const errorCode = (u: unknown): string | undefined =>
  Predicate.hasProperty(u, "code") && typeof u.code === "string" ? u.code : undefined

/** A failed first connection (PgClient's `SELECT 1`), classified by the driver's error code. */
export const fromConnectError = (target: PostgresTarget, error: SqlError.SqlError): DatabaseUnusable => {
  const code = errorCode(error.cause)
  const unusable = (problem: string, fix: string) => new DatabaseUnusable({ setting: "DATABASE_URL", problem, fix })
  switch (code) {
    case "3D000": // invalid_catalog_name
      return unusable(
        `names database "${target.database}", which does not exist on ${target.host}`,
        `create it (createdb ${target.database}) or point DATABASE_URL at an existing database`
      )
    case "28P01":
    case "28000":
      return unusable(
        `was refused by Postgres at ${target.host} (authentication failed)`,
        "fix the user and password in DATABASE_URL"
      )
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return unusable(`names host ${target.host}, which does not resolve`, `fix the host in DATABASE_URL (${URL_FORM})`)
    default:
      return unusable(
        `Postgres at ${target.host} is unreachable (${code ?? error.message})`,
        "start Postgres or fix the host and port in DATABASE_URL"
      )
  }
}

/** A data folder PGlite cannot use. */
export const dataDirUnusable = (dir: string, problem: string): DatabaseUnusable =>
  new DatabaseUnusable({
    setting: "BERTH_DATA_DIR",
    problem: `${JSON.stringify(dir)} ${problem}`,
    fix: "point BERTH_DATA_DIR at a writable directory, or set DATABASE_URL to use Postgres"
  })
