/**
 * The HTTP edge's configuration (§1, §4), read once at start under the contract's names. Guards and middleware read
 * this service, never the environment, so a test can start a server with any configuration.
 */
import { AgentUrl, Settings } from "@berth/core"
import type { ConfigError } from "effect"
import { Config, Context, Effect, Layer, Option, Redacted } from "effect"

export interface EdgeSettings {
  /** `MOLECULE_ORG_ID`, trimmed; TenantGuard is active only when present (§4.1). */
  readonly orgId: Option.Option<string>
  /** `CORS_ORIGINS`, comma-separated. */
  readonly corsOrigins: ReadonlyArray<string>
  /** `RATE_LIMIT` requests per minute per client IP; 0 disables. */
  readonly rateLimit: number
  /** `CANVAS_PROXY_URL` set: switches the same-origin canvas rule on (§4.1, §4.2). */
  readonly canvasProxy: boolean
  /** `ADMIN_TOKEN`; empty counts as unset. */
  readonly adminToken: Option.Option<Redacted.Redacted>
  /**
   * `BERTH_ADMIN_LEGACY_TIERS` (default on, upstream's rule): without `ADMIN_TOKEN`, the fresh-install and dev
   * fail-open tiers and the deprecated tier (any live workspace token is an admin bearer) of §4.3 apply. Off (`0`):
   * admin routes need `ADMIN_TOKEN` (or an org API token), and without one every admin call is refused with a 401.
   */
  readonly adminLegacyTiers: boolean
  /** `MOLECULE_ENV` trimmed and lower-cased is `development`/`dev` (dev fail-open needs `ADMIN_TOKEN` unset too). */
  readonly devEnv: boolean
  /** `GIT_SHA`, `dev` when unset. */
  readonly gitSha: string
  /** `GET /admin/workspaces/:id/test-token` is served (§5.12): `MOLECULE_ENABLE_TEST_TOKENS=1`, or not production. */
  readonly testTokens: boolean
  /** §1 saasMode (`MOLECULE_DEPLOY_MODE`, else org id set): which agent URLs the URL check refuses (§9.6). */
  readonly saasMode: boolean
  /** `EXTERNAL_PLATFORM_URL`: the public URL in external-agent connection snippets (§5.2); else from the request. */
  readonly externalPlatformUrl: Option.Option<string>
  /**
   * The path prefix the app is mounted under (`/berth`; `""` at the root, as `berth serve` runs): the embedding web
   * handler strips it from each request and every URL Berth hands out carries it (§5.2 connection block).
   */
  readonly basePath: string
  /** `BERTH_SLOW_REQUEST_MS` (default 1000; 0 turns it off): a request at least this slow is logged at WARN (`AccessLog`). */
  readonly slowRequestMs: number
}

export class EdgeConfig extends Context.Tag("@berth/http/EdgeConfig")<EdgeConfig, EdgeSettings>() {}

/** A second is far past any answer an agent or the console waits for (agent p99 aim: 10 ms), yet rare enough to read. */
const defaultSlowRequestMs = 1000

const nonEmpty = (name: string) =>
  Config.string(name).pipe(Config.option, Config.map(Option.flatMap((s) => Option.liftPredicate(s.trim(), (t) => t !== ""))))

/** `RATE_LIMIT`: `0` disables; anything else not a positive integer is ignored with a warning (§1). */
const rateLimit = Effect.gen(function* () {
  const raw = yield* nonEmpty("RATE_LIMIT")
  if (Option.isNone(raw)) return 600
  if (raw.value === "0") return 0
  const n = Settings.parsePositiveInt(raw.value)
  if (n !== undefined) return n
  yield* Effect.logWarning(Settings.invalidPositiveInt("RATE_LIMIT", raw.value, 600))
  return 600
})

/** `BERTH_ADMIN_LEGACY_TIERS`: `0`/`false`/`off` closes the tiers, `1`/`true`/`on` or unset keeps them; else warned, kept. */
const adminLegacyTiers = Effect.gen(function* () {
  const raw = yield* nonEmpty("BERTH_ADMIN_LEGACY_TIERS")
  if (Option.isNone(raw)) return true
  const value = raw.value.toLowerCase()
  if (["0", "false", "off", "no"].includes(value)) return false
  if (["1", "true", "on", "yes"].includes(value)) return true
  yield* Effect.logWarning(`BERTH_ADMIN_LEGACY_TIERS=${JSON.stringify(raw.value)} is not 0 or 1, using 1`)
  return true
})

/** `BERTH_SLOW_REQUEST_MS`: `0` turns slow-request lines off; anything else not a positive integer is ignored with a warning (§1). */
const slowRequestMs = Effect.gen(function* () {
  const raw = yield* nonEmpty("BERTH_SLOW_REQUEST_MS")
  if (Option.isNone(raw)) return defaultSlowRequestMs
  if (raw.value === "0") return 0
  const n = Settings.parsePositiveInt(raw.value)
  if (n !== undefined) return n
  yield* Effect.logWarning(Settings.invalidPositiveInt("BERTH_SLOW_REQUEST_MS", raw.value, defaultSlowRequestMs))
  return defaultSlowRequestMs
})

/** The one start-up warning of a server without `ADMIN_TOKEN`: which rule is in force, and how to close it. */
export const adminWarning = (legacyTiers: boolean): string =>
  legacyTiers
    ? "ADMIN_TOKEN is unset: admin routes are open until the first workspace token exists (fresh-install tier), then " +
      "any live workspace token is accepted as an admin bearer (deprecated tier); set ADMIN_TOKEN, or " +
      "BERTH_ADMIN_LEGACY_TIERS=0 to refuse admin calls without it"
    : "ADMIN_TOKEN is unset and BERTH_ADMIN_LEGACY_TIERS=0: every admin call is refused (401) except with an org API " +
      "token; set ADMIN_TOKEN to administer this server"

export const settings: Effect.Effect<EdgeSettings, ConfigError.ConfigError> = Effect.gen(function* () {
  const cors = yield* nonEmpty("CORS_ORIGINS")
  const adminToken = yield* nonEmpty("ADMIN_TOKEN")
  const env = yield* nonEmpty("MOLECULE_ENV")
  const orgId = yield* nonEmpty("MOLECULE_ORG_ID")
  const deployMode = yield* nonEmpty("MOLECULE_DEPLOY_MODE")
  const saas = AgentUrl.saasMode({
    MOLECULE_DEPLOY_MODE: Option.getOrUndefined(deployMode),
    MOLECULE_ORG_ID: Option.getOrUndefined(orgId)
  })
  if (saas.warning !== undefined) yield* Effect.logWarning(saas.warning)
  const production = Option.match(env, { onNone: () => false, onSome: (e) => ["production", "prod"].includes(e.toLowerCase()) })
  const testTokens = Option.contains(yield* nonEmpty("MOLECULE_ENABLE_TEST_TOKENS"), "1") || !production
  const devEnv = Option.match(env, { onNone: () => false, onSome: (e) => ["development", "dev"].includes(e.toLowerCase()) })
  const legacyTiers = yield* adminLegacyTiers
  if (Option.isNone(adminToken)) yield* Effect.logWarning(adminWarning(legacyTiers))
  return {
    orgId,
    corsOrigins: Option.getOrElse(cors, () => "http://localhost:3000,http://localhost:3001")
      .split(",").map((s) => s.trim()).filter((s) => s !== ""),
    rateLimit: yield* rateLimit,
    canvasProxy: Option.isSome(yield* nonEmpty("CANVAS_PROXY_URL")),
    adminToken: Option.map(adminToken, Redacted.make),
    adminLegacyTiers: legacyTiers,
    devEnv,
    gitSha: Option.getOrElse(yield* nonEmpty("GIT_SHA"), () => "dev"),
    saasMode: saas.saas,
    testTokens,
    externalPlatformUrl: yield* nonEmpty("EXTERNAL_PLATFORM_URL"),
    basePath: "",
    slowRequestMs: yield* slowRequestMs
  }
})

/** From the environment (or whatever `ConfigProvider` is current when the layer is built). */
export const layer = Layer.effect(EdgeConfig, settings)

/** Defaults of every setting (no environment): what a test starts from. */
export const defaults: EdgeSettings = {
  orgId: Option.none(),
  corsOrigins: ["http://localhost:3000", "http://localhost:3001"],
  rateLimit: 600,
  canvasProxy: false,
  adminToken: Option.none(),
  adminLegacyTiers: true,
  devEnv: false,
  gitSha: "dev",
  saasMode: false,
  testTokens: true,
  externalPlatformUrl: Option.none(),
  basePath: "",
  slowRequestMs: defaultSlowRequestMs
}

/** Fixed settings (tests). */
export const layerWith = (overrides: Partial<EdgeSettings> = {}) => Layer.succeed(EdgeConfig, { ...defaults, ...overrides })
