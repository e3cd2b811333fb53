/**
 * Asynchronous commit for one statement: `synchronous_commit` turned off for the statement's own (implicit)
 * transaction, so its commit returns without waiting for the WAL flush. The write is visible at once and survives
 * anything but a crash of the database server, which can lose the last fraction of a second (`wal_writer_delay`) of
 * such writes, never corrupt them. Only for writes the next one replaces anyway: liveness samples, best-effort
 * stamps, broadcast notifications. Status transitions and recorded events keep synchronous commits.
 */
import type { SqlClient } from "@effect/sql"

/** A CTE named `async_commit` (one row); the statement must read it (e.g. `CROSS JOIN async_commit`) so it runs. */
export const asyncCommitCte = (sql: SqlClient.SqlClient) =>
  sql`async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS synchronous_commit)`
