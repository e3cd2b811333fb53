import Docker from "dockerode"
import { randomBytes } from "node:crypto"
import pg from "pg"

/**
 * Finds the real services tests run against. Locally a missing service skips its tests with a printed reason;
 * under `BERTH_REQUIRE_SERVICES=1` (CI) it throws instead, so a run can never skip silently.
 */
export const required = process.env["BERTH_REQUIRE_SERVICES"] === "1"

/** The admin URL of the test Postgres server; `.ci/services up` provides this one. */
export const postgresAdminUrl =
  process.env["BERTH_TEST_DATABASE_URL"] ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres"

export const dockerSocketPath = process.env["BERTH_TEST_DOCKER_SOCKET"] ?? "/var/run/docker.sock"

/** The loopback registry tests push to. */
export const registryHost = "127.0.0.1:5000"

const unavailable = (service: string, reason: string): undefined => {
  const message = `${service} unavailable (${reason}); start it with \`bash .ci/services up\``
  if (required) throw new Error(`BERTH_REQUIRE_SERVICES=1 but ${message}`)
  console.warn(`[skip] ${message}: its tests are skipped`)
  return undefined
}

/**
 * Creates a fresh database on the test Postgres server and returns its URL, or `undefined` (with a printed reason)
 * when no server answers. Each call gets its own database, so suites never see each other's rows.
 */
export const freshPostgresDatabase = async (prefix = "berth_test"): Promise<string | undefined> => {
  const admin = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (error) {
    return unavailable("Postgres", `${postgresAdminUrl.replace(/:[^:@/]*@/, ":***@")}: ${String(error)}`)
  }
  try {
    const name = `${prefix}_${randomBytes(6).toString("hex")}`
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(postgresAdminUrl)
    url.pathname = `/${name}`
    return url.toString()
  } finally {
    await admin.end()
  }
}

/** A dockerode client when the engine answers a ping, else `undefined` with a printed reason. */
export const dockerEngine = async (): Promise<Docker | undefined> => {
  const docker = new Docker({ socketPath: dockerSocketPath })
  try {
    await docker.ping()
    return docker
  } catch (error) {
    return unavailable("Docker engine", `${dockerSocketPath}: ${String(error)}`)
  }
}

/** True when the loopback registry answers, else `false` with a printed reason. */
export const registryAvailable = async (): Promise<boolean> => {
  try {
    const response = await fetch(`http://${registryHost}/v2/`)
    if (response.ok) return true
    return unavailable("registry", `http://${registryHost}/v2/ answered ${response.status}`) ?? false
  } catch (error) {
    return unavailable("registry", `http://${registryHost}/v2/: ${String(error)}`) ?? false
  }
}
