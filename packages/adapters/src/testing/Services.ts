import Docker from "dockerode"
import { randomBytes } from "node:crypto"
import pg from "pg"

/**
 * Finds the real services tests run against. They are used only when asked: `BERTH_TEST_SERVICES=1` (CI) or an
 * explicit test URL (`BERTH_TEST_DATABASE_URL`, `BERTH_TEST_DOCKER_SOCKET`), so a plain `npm test` never creates a
 * database or a container on whatever happens to answer on this machine. A service not asked for, or missing,
 * skips its tests with a printed reason; under `BERTH_REQUIRE_SERVICES=1` (CI) it throws instead, so a run can
 * never skip silently.
 */
export const required = process.env["BERTH_REQUIRE_SERVICES"] === "1"

const optional = (name: string): string | undefined => {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

const allServices = process.env["BERTH_TEST_SERVICES"] === "1"
const databaseUrlSetting = optional("BERTH_TEST_DATABASE_URL")
const dockerSocketSetting = optional("BERTH_TEST_DOCKER_SOCKET")

/** The admin URL of the test Postgres server; `.ci/services up` provides this one. */
export const postgresAdminUrl = databaseUrlSetting ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres"

/** `DOCKER_HOST`'s socket when it names one (`unix://…`), so tests use the engine the shell points at. */
const dockerHostSocket = (() => {
  const host = optional("DOCKER_HOST")
  return host?.startsWith("unix://") ? host.slice("unix://".length) : undefined
})()

/** The engine socket: `BERTH_TEST_DOCKER_SOCKET`, else `DOCKER_HOST`'s unix socket, else the default. */
export const dockerSocketPath = dockerSocketSetting ?? dockerHostSocket ?? "/var/run/docker.sock"

/** The loopback registry tests push to. */
export const registryHost = "127.0.0.1:5000"

/** Whether Postgres-backed tests were asked for. */
export const postgresRequested = allServices || databaseUrlSetting !== undefined
/** Whether Docker-backed tests (the engine, the registry, an own `dockerd`) were asked for. */
export const dockerRequested = allServices || dockerSocketSetting !== undefined

const notRequested = (service: string, variable: string): undefined =>
  skip(`${service} tests not requested (set BERTH_TEST_SERVICES=1 or ${variable})`)

const skip = (message: string): undefined => {
  if (required) throw new Error(`BERTH_REQUIRE_SERVICES=1 but ${message}`)
  console.warn(`[skip] ${message}: its tests are skipped`)
  return undefined
}

/**
 * `true` when Docker-backed tests were asked for, else `false` with a printed reason (a throw under
 * `BERTH_REQUIRE_SERVICES=1`). For suites that reach an engine without `dockerEngine` (an own `dockerd`).
 */
export const dockerTestsRequested = (): boolean =>
  dockerRequested || (notRequested("Docker", "BERTH_TEST_DOCKER_SOCKET") ?? false)

const unavailable = (service: string, reason: string): undefined =>
  skip(`${service} unavailable (${reason}); start it with \`bash .ci/services up\``)

/**
 * Creates a fresh database on the test Postgres server and returns its URL, or `undefined` (with a printed reason)
 * when Postgres tests were not asked for or no server answers. Each call gets its own database, so suites never see each other's rows.
 */
export const freshPostgresDatabase = async (prefix = "berth_test"): Promise<string | undefined> => {
  if (!postgresRequested) return notRequested("Postgres", "BERTH_TEST_DATABASE_URL")
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

/** A dockerode client when the engine on `dockerSocketPath` answers a ping, else `undefined` with a printed reason. */
export const pingDockerEngine = async (): Promise<Docker | undefined> => {
  const docker = new Docker({ socketPath: dockerSocketPath })
  try {
    await docker.ping()
    return docker
  } catch (error) {
    return unavailable("Docker engine", `${dockerSocketPath}: ${String(error)}`)
  }
}

/** `pingDockerEngine` when Docker tests were asked for, else `undefined` with a printed reason. */
export const dockerEngine = async (): Promise<Docker | undefined> =>
  dockerTestsRequested() ? pingDockerEngine() : undefined

/** True when the loopback registry answers, else `false` with a printed reason. */
export const registryAvailable = async (): Promise<boolean> => {
  if (!dockerTestsRequested()) return false
  try {
    const response = await fetch(`http://${registryHost}/v2/`)
    if (response.ok) return true
    return unavailable("registry", `http://${registryHost}/v2/ answered ${response.status}`) ?? false
  } catch (error) {
    return unavailable("registry", `http://${registryHost}/v2/: ${String(error)}`) ?? false
  }
}
