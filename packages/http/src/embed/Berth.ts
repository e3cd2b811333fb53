/**
 * `Berth.layer(config)`: Berth's core services (workspaces, registry, lifecycle, tokens, secrets, activity, events…)
 * for an Effect host, over the persistence it chooses, with the background loops (§7) on or off. The same
 * composition `berth serve` runs (`Composition.compose`), given values instead of environment variables: a host
 * calls `Workspaces`, `Registry` or `EventBus` in-process, with no HTTP.
 */
import { NodeFileSystem } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { DockerProvisioner, ManifestFs, Persistence, SecretCipher, TemplateCatalogueFs } from "@berth/adapters"
import type { AgentUrl, Lifecycle, ProvisionSettingsValues, Runtime, SweepSettingsValues, TerminalDiagnosis } from "@berth/core"
import { defaultProvisionSettings, defaultSweepSettings, ProvisionSettings, SweepSettings } from "@berth/core"
import type { ConfigError } from "effect"
import { Layer, Redacted } from "effect"
import * as Backend from "../Backend.js"
import * as CoreServices from "../CoreServices.js"
import * as EdgeConfig from "../edge/EdgeConfig.js"
import * as Composition from "./Composition.js"

/** Where Berth keeps its rows: embedded PGlite in a folder (`"memory://"` keeps it in memory), or a Postgres URL. */
export type Database =
  | { readonly dataDir: string }
  | { readonly postgresUrl: string | Redacted.Redacted }

/**
 * Who runs container workspaces: nobody (external workspaces only, the default), the Docker engine of `DOCKER_HOST`,
 * or whatever `berth serve` would choose from the environment (§1: `MOLECULE_ORG_ID` → the CP, else Docker if it
 * answers, else none).
 */
export type ProvisionerChoice = "none" | "docker" | "from-environment"

/** Everything but the database; every field has `berth serve`'s default. */
export interface Options {
  /** The §7 loops (health, liveness, provision timeout, activity retention, orphans); default on. */
  readonly backgroundLoops?: boolean
  readonly provisioner?: ProvisionerChoice
  /** `SECRETS_ENCRYPTION_KEY`'s format (32 bytes, base64); unset stores secrets unencrypted. */
  readonly secretsEncryptionKey?: string | Redacted.Redacted
  /** `platformUrl`: the URL workloads call back (default `http://host.docker.internal:8080`); `provisionTimeoutSeconds`. */
  readonly provision?: Partial<ProvisionSettingsValues>
  readonly sweeps?: Partial<SweepSettingsValues>
  /** The edge settings (admin token, org id, CORS, rate limit, base path…); `EdgeConfig.defaults` otherwise. */
  readonly edge?: Partial<EdgeConfig.EdgeSettings>
  /** The template folder (`CONFIGS_DIR`); default `./workspace-configs-templates`. */
  readonly templatesDir?: string
  /** The runtime manifest (`WORKSPACE_MANIFEST_PATH`); default the built-in allowlist lookup. */
  readonly runtimeManifest?: string
}

export interface Config extends Options {
  readonly database: Database
}

/** Why Berth could not start: the database, its migrations, the encryption key, or a Docker setting. */
export type StartError = Persistence.StartError | SecretCipher.MissingEncryptionKey | ConfigError.ConfigError

const cipher = (key: Options["secretsEncryptionKey"]): Layer.Layer<SecretCipher.SecretCipher, SecretCipher.MissingEncryptionKey> => {
  if (key === undefined) return SecretCipher.layer(undefined)
  const parsed = SecretCipher.parseKey(Redacted.isRedacted(key) ? Redacted.value(key) : key)
  return parsed === undefined
    ? Layer.fail(new SecretCipher.MissingEncryptionKey({ message: SecretCipher.unusableKey }))
    : SecretCipher.layer(parsed)
}

const backendOf = (choice: ProvisionerChoice) =>
  choice === "docker" ? Backend.backendOver(DockerProvisioner.layerConfig)
    : choice === "from-environment" ? Backend.BackendLive
    : Backend.backendOver(Backend.none)

/** The parts of the composition an embedder's options decide, persistence aside. */
export const partsOf = (options: Options) => ({
  backend: backendOf(options.provisioner ?? "none"),
  templates: TemplateCatalogueFs.layer(options.templatesDir ?? "./workspace-configs-templates").pipe(Layer.provide(NodeFileSystem.layer)),
  runtimes: ManifestFs.layerAt(options.runtimeManifest),
  edge: EdgeConfig.layerWith(options.edge),
  settings: Layer.merge(
    Layer.succeed(ProvisionSettings, { ...defaultProvisionSettings, ...options.provision }),
    Layer.succeed(SweepSettings, { ...defaultSweepSettings, ...options.sweeps })
  ),
  loops: options.backgroundLoops ?? true
})

/** The persistence of a database choice, with the options' cipher. */
export const persistenceOf = (config: Config) =>
  Persistence.layerFor("dataDir" in config.database
    ? { _tag: "Embedded", dataDir: config.database.dataDir }
    : {
      _tag: "Postgres",
      url: Redacted.isRedacted(config.database.postgresUrl) ? config.database.postgresUrl : Redacted.make(config.database.postgresUrl)
    }).pipe(Layer.provide(cipher(config.secretsEncryptionKey)))

/** Core's services over the database of `config`. */
export const layer = (config: Config) =>
  Composition.compose(CoreServices.layer, { ...partsOf(config), persistence: persistenceOf(config) })

/**
 * Core's services over the host's own `SqlClient` (migrated on start). Events stay in-process and leadership is
 * always held (no LISTEN or advisory lock on a client Berth did not open): one Berth per database. The client must
 * use Berth's name transforms (see `Sql.pgLayer`).
 */
export const layerOverClient = (options: Options = {}) =>
  Composition.compose(CoreServices.layer, {
    ...partsOf(options),
    persistence: Persistence.layerOverClient.pipe(Layer.provide(cipher(options.secretsEncryptionKey)))
  })

/** What the composition needs besides its parts (named here so the declarations above are portable). */
export type Needs = AgentUrl.HostResolver | Runtime.RuntimeAllowlist | Lifecycle.Services | TerminalDiagnosis.TerminalDiagnosis

/** What a host program can yield once `layer(config)` is provided. */
export type Services = Layer.Layer.Success<ReturnType<typeof layer>>
/** What `layerOverClient` needs from the host. */
export type HostClient = SqlClient.SqlClient
