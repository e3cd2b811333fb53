/**
 * Configuration of the CP provisioner (§1, §8.3), read once under the contract's names. Defaults live here and
 * nowhere else.
 */
import type { Duration } from "effect"
import { Config, Redacted } from "effect"

/** What the CP provisioner needs to reach the control plane. Empty credentials are not sent. */
export interface CpOptions {
  /** Base URL without a trailing `/`, e.g. `https://api.moleculesai.app`. */
  readonly baseUrl: string
  /** `org_id` of every provision request (`MOLECULE_ORG_ID`). */
  readonly orgId: string
  /** Bearer of the provision routes (`/cp/workspaces/…`). */
  readonly sharedSecret: Redacted.Redacted
  /** Bearer of the admin routes (`/cp/admin/…`). */
  readonly adminApiToken: Redacted.Redacted
  /** `X-Molecule-Admin-Token` on every route: the tenant's `ADMIN_TOKEN`. */
  readonly adminToken: Redacted.Redacted
  /** Bound on one whole exchange, body included (contract: 120 s). */
  readonly timeout?: Duration.DurationInput
}

/** Contract §8.3: client timeout. */
export const defaultTimeout: Duration.DurationInput = "120 seconds"

/** Contract §1: the CP base URL when neither variable is set. */
export const defaultBaseUrl = "https://api.moleculesai.app"

const text = (name: string) => Config.string(name).pipe(Config.withDefault(""), Config.map((s) => s.trim()))

const secret = (name: string) =>
  Config.redacted(name).pipe(
    Config.withDefault(Redacted.make("")),
    Config.map((value) => Redacted.make(Redacted.value(value).trim()))
  )

/** True when a secret is unset or blank: such a credential is not sent. */
export const isBlank = (value: Redacted.Redacted): boolean => Redacted.value(value) === ""

/** The first of `configs` whose value is not blank, else the last one (contract: "first non-empty"). */
const firstNonBlank = <A>(blank: (a: A) => boolean, configs: ReadonlyArray<Config.Config<A>>): Config.Config<A> =>
  Config.map(Config.all(configs), (values) => values.find((v) => !blank(v)) ?? values[values.length - 1]!)

/**
 * `CP_PROVISION_URL` then `MOLECULE_CP_URL` (default `https://api.moleculesai.app`); `MOLECULE_CP_SHARED_SECRET`
 * then `PROVISION_SHARED_SECRET`; `CP_ADMIN_API_TOKEN` defaulting to the shared secret; `ADMIN_TOKEN`;
 * `MOLECULE_ORG_ID`. Values are trimmed, so a secret file's trailing newline never reaches a header.
 */
export const CpConfig: Config.Config<CpOptions> = Config.map(
  Config.all({
    baseUrl: firstNonBlank((s: string) => s === "", [text("CP_PROVISION_URL"), text("MOLECULE_CP_URL")]),
    orgId: text("MOLECULE_ORG_ID"),
    sharedSecret: firstNonBlank(isBlank, [secret("MOLECULE_CP_SHARED_SECRET"), secret("PROVISION_SHARED_SECRET")]),
    adminApiToken: secret("CP_ADMIN_API_TOKEN"),
    adminToken: secret("ADMIN_TOKEN")
  }),
  ({ adminApiToken, adminToken, baseUrl, orgId, sharedSecret }) => ({
    baseUrl: (baseUrl === "" ? defaultBaseUrl : baseUrl).replace(/\/+$/, ""),
    orgId,
    sharedSecret,
    adminApiToken: isBlank(adminApiToken) ? sharedSecret : adminApiToken,
    adminToken
  })
)
