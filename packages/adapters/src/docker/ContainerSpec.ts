/**
 * Names, labels, environment and host configuration of a workspace container (contract §8.2 steps 2–4), as pure
 * functions of the `StartSpec` and the Docker options, so the tier and network rules are testable without an engine.
 */
import type { StartSpec } from "@berth/core"
import type Docker from "dockerode"
import type { DockerOptions, TierLimits } from "./DockerConfig.js"

/** The label key marking Berth's containers and volumes. */
export const MANAGED_LABEL = "molecule.platform.managed"
/** Carried by every container and volume Berth creates; the orphan sweeper recognises its own by it. */
export const managedLabels: Readonly<Record<string, string>> = { [MANAGED_LABEL]: "true" }

/** The agent's A2A port inside the container. */
export const AGENT_PORT = "8000/tcp"
/** The only runtime with a claude-sessions volume. */
export const CLAUDE_CODE = "claude-code"
/** Where the config volume is mounted, in workspace and helper containers alike. */
export const CONFIGS_DIR = "/configs"

/** `ws-<full id>` (§11.3). */
export const containerName = (id: string): string => `ws-${id}`
/** Molecule's earlier 12-character name, recognised only when reading (§11.3). */
export const legacyContainerName = (id: string): string => `ws-${id.slice(0, 12)}`
/** The config volume of the container named `name` (current or legacy): `<name>-configs`. */
export const configVolumeOf = (name: string): string => `${name}-configs`
/** The claude-sessions volume of the container named `name` (current or legacy): `<name>-claude-sessions`. */
export const sessionsVolumeOf = (name: string): string => `${name}-claude-sessions`
/** Mounted read-write at `/configs`. */
export const configVolume = (id: string): string => configVolumeOf(containerName(id))
/** Mounted at `/workspace` unless a host directory is bound there. */
export const workspaceVolume = (id: string): string => `ws-${id}-workspace`
/** claude-code's `/root/.claude/sessions`, kept across restarts unless reset. */
export const sessionsVolume = (id: string): string => sessionsVolumeOf(containerName(id))
/** The URL on the workspace network, used when no port is published. */
export const internalUrl = (id: string): string => `http://ws-${id}:8000`

/** The namespace a workspace row gets at create (§3.1), used unless the pipeline prepared one. */
export const awarenessNamespace = (id: string): string => `workspace:${id}`

/**
 * Step 2: the fixed variables, the awareness pair, then every prepared variable. A prepared variable with a fixed
 * name replaces it in place, so the container never sees a name twice (libc would return the first one).
 * The awareness pair is both-or-neither and follows the platform's `AWARENESS_URL`: a prepared
 * `AWARENESS_NAMESPACE` only supplies the namespace, a prepared `AWARENESS_URL` is ignored.
 */
export const environment = (spec: StartSpec, awarenessUrl: string | undefined): Array<string> => {
  const { AWARENESS_NAMESPACE: namespace, AWARENESS_URL: _ignored, ...prepared } = spec.env
  const env = new Map<string, string>([
    ["WORKSPACE_ID", spec.id],
    ["WORKSPACE_CONFIG_PATH", CONFIGS_DIR],
    ["PLATFORM_URL", spec.platformUrl],
    ["MOLECULE_URL", spec.platformUrl],
    ["TIER", String(spec.tier)],
    ["PLUGINS_DIR", "/plugins"],
    ["PYTHONPATH", "/app"]
  ])
  if (awarenessUrl !== undefined) {
    env.set("AWARENESS_NAMESPACE", namespace ?? awarenessNamespace(spec.id))
    env.set("AWARENESS_URL", awarenessUrl)
  }
  for (const [key, value] of Object.entries(prepared)) env.set(key, value)
  return [...env].map(([key, value]) => `${key}=${value}`)
}

const bindsHostDir = (spec: StartSpec): boolean =>
  spec.workspaceDir !== null && spec.workspaceDir !== "" && spec.workspaceAccess !== "none"

/** The workspace mount: the host directory when access ≠ none (read-only for `read_only`), else the named volume. */
export const workspaceMount = (spec: StartSpec): string =>
  bindsHostDir(spec)
    ? `${spec.workspaceDir}:/workspace${spec.workspaceAccess === "read_only" ? ":ro" : ""}`
    : `${workspaceVolume(spec.id)}:/workspace`

/** Tier 1 mounts only `/configs`; the others add the workspace and, for claude-code, the sessions volume. */
export const mountsSessions = (spec: StartSpec): boolean => spec.runtime === CLAUDE_CODE && spec.tier !== 1

/** The named volumes the container mounts; created with Berth's label before it, since a bind would create them bare. */
export const namedVolumes = (spec: StartSpec): Array<string> => {
  const volumes = [configVolume(spec.id)]
  if (spec.tier === 1) return volumes
  if (!bindsHostDir(spec)) volumes.push(workspaceVolume(spec.id))
  if (mountsSessions(spec)) volumes.push(sessionsVolume(spec.id))
  return volumes
}

/** The limits of a tier: T3 and T4 their own, T2 and every unknown tier T2's; T1 has none. */
export const tierLimits = (tier: number, options: Pick<DockerOptions, "tiers">): TierLimits | undefined =>
  tier === 1 ? undefined : tier === 3 ? options.tiers[3] : tier === 4 ? options.tiers[4] : options.tiers[2]

/** 1024 shares = one CPU = 10⁹ NanoCPUs; rounded because the engine wants an integer. */
export const nanoCpus = (cpuShares: number): number => Math.round((cpuShares * 1_000_000_000) / 1024)

const usesNamedNetwork = (network: string): boolean => !["none", "host", "bridge", "default"].includes(network)

/** Whether the agent port is published on 127.0.0.1: not with network `none` nor with host networking (tier 4). */
export const publishesPort = (spec: StartSpec, network: string): boolean => network !== "none" && spec.tier !== 4

type HostOptions = Pick<DockerOptions, "network" | "tiers" | "socketPath">

/** Step 4: restart policy, mounts, tier limits and privileges, network and the published agent port. */
export const hostConfig = (spec: StartSpec, options: HostOptions): Docker.HostConfig => {
  const binds = [`${configVolume(spec.id)}:${CONFIGS_DIR}`]
  const config: Docker.HostConfig = { RestartPolicy: { Name: "unless-stopped" }, Binds: binds }
  if (spec.tier === 1) {
    config.ReadonlyRootfs = true
    config.Tmpfs = { "/tmp": "rw,noexec,nosuid,size=64m" }
  } else {
    binds.push(workspaceMount(spec))
    if (mountsSessions(spec)) binds.push(`${sessionsVolume(spec.id)}:/root/.claude/sessions`)
    if (spec.tier === 3 || spec.tier === 4) {
      config.Privileged = true
      config.PidMode = "host"
    }
    if (spec.tier === 4) binds.push(`${options.socketPath}:/var/run/docker.sock`)
  }
  const limits = tierLimits(spec.tier, options)
  if (limits !== undefined) {
    config.Memory = limits.memoryMb * 1024 * 1024
    config.NanoCpus = nanoCpus(limits.cpuShares)
  }
  // `none` wins over tier networking; tier 4 otherwise shares the host's network.
  config.NetworkMode = options.network === "none" ? "none" : spec.tier === 4 ? "host" : options.network
  if (publishesPort(spec, options.network)) {
    // An empty host port asks the engine for an ephemeral one, bound to loopback only.
    config.PortBindings = { [AGENT_PORT]: [{ HostIp: "127.0.0.1", HostPort: "" }] }
  }
  return config
}

/** The create request: image, env, labels, exposed port, host config, and the name as alias on a named network. */
export const createBody = (
  spec: StartSpec,
  image: string,
  options: HostOptions & Pick<DockerOptions, "awarenessUrl">
): Docker.ContainerCreateOptions => {
  const host = hostConfig(spec, options)
  const body: Docker.ContainerCreateOptions = {
    Image: image,
    Env: environment(spec, options.awarenessUrl),
    Labels: { ...managedLabels },
    ExposedPorts: { [AGENT_PORT]: {} },
    HostConfig: host
  }
  const network = host.NetworkMode ?? ""
  if (usesNamedNetwork(network)) {
    body.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [containerName(spec.id)] } } }
  }
  return body
}

/** The published host port of the agent, when the engine has bound one. */
export const publishedPort = (inspect: Docker.ContainerInspectInfo): string | undefined => {
  // The engine sends `null` for an exposed port that is not (yet) bound, whatever the types say.
  const bindings: ReadonlyArray<{ HostPort?: string }> | null | undefined = inspect.NetworkSettings?.Ports?.[AGENT_PORT]
  const port = bindings?.find((b) => typeof b.HostPort === "string" && b.HostPort !== "" && b.HostPort !== "0")?.HostPort
  return port
}
