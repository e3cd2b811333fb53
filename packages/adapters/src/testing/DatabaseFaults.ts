/**
 * Database faults for reliability tests: the connections of ONE database are killed with `pg_terminate_backend`, as a
 * Postgres restart or a network cut would drop them, without touching the other databases of the shared test server.
 */
import pg from "pg"
import { postgresAdminUrl } from "./Services.js"

/** The database name of a connection URL. */
export const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1))

/** Terminates every backend connected to the database of `url` (the admin connection itself excepted); returns how many. */
export const terminateConnections = async (url: string): Promise<number> => {
  const admin = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 })
  await admin.connect()
  try {
    const result = await admin.query<{ terminated: boolean }>(
      "SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [databaseOf(url)]
    )
    return result.rows.filter((r) => r.terminated).length
  } finally {
    await admin.end()
  }
}
