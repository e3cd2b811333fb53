/**
 * Configuration of the Docker provisioner (contract §1, §8.2). Every default lives here and nowhere else.
 *
 * Numeric tier limits follow §1: a value that is not an integer, or is ≤ 0, is ignored with a warning and the default
 * applies. Because a `Config` cannot log, `DockerConfig` yields the options together with their warnings and `load`
 * logs them. The image of a runtime is looked up per start (`imageConfig`), since the set of `BERTH_IMAGE_<RUNTIME>`
 * variables is as open as the runtime allowlist. `PLATFORM_URL` is not read here: the provisioning pipeline puts it
 * into each `StartSpec`.
 */
import type { ConfigError } from "effect"
import { Settings } from "@berth/core"
import { Config, Effect, Option } from "effect"

/** Memory (MiB) and CPU shares (1024 = one CPU) of a tier. */
export interface TierLimits {
  readonly memoryMb: number
  readonly cpuShares: number
}

/** Limits for tiers 2–4 (tier 1 has none: it is the read-only sandbox; unknown tiers use tier 2's). */
export interface TierTable {
  readonly 2: TierLimits
  readonly 3: TierLimits
  readonly 4: TierLimits
}

/** Owner of the files Berth writes into `/configs`. */
export interface FileOwner {
  readonly uid: number
  readonly gid: number
}

/** Everything the Docker provisioner is built from. */
export interface DockerOptions {
  /** Unix socket of the engine (`DOCKER_HOST=unix://…`, default `/var/run/docker.sock`). */
  readonly socketPath: string
  /** `BERTH_DOCKER_NETWORK`; `none` disables networking and port publishing, overriding tier networking. */
  readonly network: string
  /** `BERTH_HELPER_IMAGE`: image of the short-lived utility container that reads or writes a volume. */
  readonly helperImage: string
  /** `MOLECULE_IMAGE_PLATFORM` for pull and create; undefined when empty. */
  readonly imagePlatform: string | undefined
  readonly tiers: TierTable
  /** `AWARENESS_URL`; when set, containers also get `AWARENESS_NAMESPACE`. */
  readonly awarenessUrl: string | undefined
  /** The image for a runtime (`BERTH_IMAGE_<RUNTIME>`, else upstream's default name). */
  readonly imageFor: (runtime: string) => Effect.Effect<string>
  /** Owner of files copied into `/configs`: the workspace user of the template images. */
  readonly fileOwner: FileOwner
}

/** Defaults of §1. */
export const DEFAULT_NETWORK = "molecule-monorepo-net"
export const DEFAULT_HELPER_IMAGE = "alpine"
export const DEFAULT_SOCKET_PATH = "/var/run/docker.sock"
export const DEFAULT_TIERS: TierTable = {
  2: { memoryMb: 512, cpuShares: 1024 },
  3: { memoryMb: 2048, cpuShares: 2048 },
  4: { memoryMb: 4096, cpuShares: 4096 }
}
/** The agent user (uid/gid 1000) of Molecule's workspace-template images, so it can read its 0600 token. */
export const DEFAULT_FILE_OWNER: FileOwner = { uid: 1000, gid: 1000 }

/** `BERTH_IMAGE_<RUNTIME>`: upper-cased, `-` → `_`. */
export const imageVariable = (runtime: string): string => `BERTH_IMAGE_${runtime.toUpperCase().replaceAll("-", "_")}`

/** Upstream's image for a runtime. */
export const defaultImage = (runtime: string): string => `ghcr.io/molecule-ai/workspace-template-${runtime}:latest`

const optionalString = (name: string) => Config.string(name).pipe(Config.withDefault(""), Config.map((s) => s.trim()))

/** The image for `runtime` from the current config provider; an empty value means unset. */
export const imageConfig = (runtime: string): Config.Config<string> =>
  optionalString(imageVariable(runtime)).pipe(Config.map((value) => (value === "" ? defaultImage(runtime) : value)))

/** `linux/amd64` on arm64 macOS hosts (the template images are published for amd64 only), else none. */
export const defaultImagePlatform = (platform: string = process.platform, arch: string = process.arch): string =>
  platform === "darwin" && arch === "arm64" ? "linux/amd64" : ""

/** Core's positive-integer rule (§1), collecting the warning instead of logging it (a `Config` cannot log). */
export const positiveInt = (name: string, raw: string, fallback: number, warnings: Array<string>): number => {
  if (raw === "") return fallback
  const n = Settings.parsePositiveInt(raw)
  if (n !== undefined) return n
  warnings.push(Settings.invalidPositiveInt(name, raw, fallback))
  return fallback
}

/** `DOCKER_HOST=unix:///path` selects another socket; other schemes are not supported (warning). */
const socketFrom = (dockerHost: string, warnings: Array<string>): string => {
  if (dockerHost === "") return DEFAULT_SOCKET_PATH
  if (dockerHost.startsWith("unix://")) return dockerHost.slice("unix://".length)
  warnings.push(`DOCKER_HOST=${JSON.stringify(dockerHost)} is not a unix socket — using ${DEFAULT_SOCKET_PATH}`)
  return DEFAULT_SOCKET_PATH
}

const tierVariables = (tier: 2 | 3 | 4) =>
  Config.all({ memory: optionalString(`TIER${tier}_MEMORY_MB`), cpu: optionalString(`TIER${tier}_CPU_SHARES`) })

/** Everything `DockerConfig` reads, with the warnings about ignored values. */
export interface Loaded {
  readonly options: Omit<DockerOptions, "imageFor">
  readonly warnings: ReadonlyArray<string>
}

/** All Docker settings except the per-runtime image, with the warnings about ignored values. */
export const DockerConfig: Config.Config<Loaded> = Config.all({
  network: optionalString("BERTH_DOCKER_NETWORK"),
  helperImage: optionalString("BERTH_HELPER_IMAGE"),
  // Set-but-empty is meaningful: it turns the macOS default off.
  imagePlatform: Config.option(Config.string("MOLECULE_IMAGE_PLATFORM")),
  dockerHost: optionalString("DOCKER_HOST"),
  awarenessUrl: optionalString("AWARENESS_URL"),
  tier2: tierVariables(2),
  tier3: tierVariables(3),
  tier4: tierVariables(4)
}).pipe(
  Config.map((raw): Loaded => {
    const warnings: Array<string> = []
    const tier = (n: 2 | 3 | 4, v: { memory: string; cpu: string }): TierLimits => ({
      memoryMb: positiveInt(`TIER${n}_MEMORY_MB`, v.memory, DEFAULT_TIERS[n].memoryMb, warnings),
      cpuShares: positiveInt(`TIER${n}_CPU_SHARES`, v.cpu, DEFAULT_TIERS[n].cpuShares, warnings)
    })
    const platform = Option.match(raw.imagePlatform, { onNone: () => defaultImagePlatform(), onSome: (p) => p.trim() })
    const options: Omit<DockerOptions, "imageFor"> = {
      socketPath: socketFrom(raw.dockerHost, warnings),
      network: raw.network === "" ? DEFAULT_NETWORK : raw.network,
      helperImage: raw.helperImage === "" ? DEFAULT_HELPER_IMAGE : raw.helperImage,
      imagePlatform: platform === "" ? undefined : platform,
      tiers: { 2: tier(2, raw.tier2), 3: tier(3, raw.tier3), 4: tier(4, raw.tier4) },
      awarenessUrl: raw.awarenessUrl === "" ? undefined : raw.awarenessUrl,
      fileOwner: DEFAULT_FILE_OWNER
    }
    return { options, warnings }
  })
)

/**
 * Reads `DockerConfig`, logs its warnings, and binds `imageFor` to the config provider current at load time, so
 * images resolve from the same source as everything else.
 */
export const load: Effect.Effect<DockerOptions, ConfigError.ConfigError> = Effect.gen(function* () {
  const { options, warnings } = yield* DockerConfig
  for (const warning of warnings) yield* Effect.logWarning(`Docker config: ${warning}`)
  const provider = yield* Effect.configProviderWith(Effect.succeed)
  const imageFor = (runtime: string): Effect.Effect<string> =>
    imageConfig(runtime).pipe(Effect.orElseSucceed(() => defaultImage(runtime)), Effect.withConfigProvider(provider))
  return { ...options, imageFor }
})
