/** The container's names, environment, mounts and host config (§8.2 steps 2–4) as pure functions. */
import { describe, expect, it } from "@effect/vitest"
import type Docker from "dockerode"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { DEFAULT_TIERS } from "../../src/docker/DockerConfig.js"
import { startSpec } from "../support/StartSpecs.js"

const options = { network: "molecule-monorepo-net", tiers: DEFAULT_TIERS, socketPath: "/run/engine.sock" }
const MiB = 1024 * 1024

describe("names", () => {
  it("use the full id; the legacy name keeps the first 12 characters", () => {
    const id = "0123456789ab-cdef-0123-4567-89abcdef0123"
    expect(ContainerSpec.containerName(id)).toBe(`ws-${id}`)
    expect(ContainerSpec.legacyContainerName(id)).toBe("ws-0123456789ab")
    expect(ContainerSpec.configVolume(id)).toBe(`ws-${id}-configs`)
    expect(ContainerSpec.sessionsVolume(id)).toBe(`ws-${id}-claude-sessions`)
    expect(ContainerSpec.internalUrl(id)).toBe(`http://ws-${id}:8000`)
  })
})

describe("environment", () => {
  it("fixed variables first, in the contract's order, then the prepared ones", () => {
    const spec = startSpec({ tier: 3, env: { MODEL: "anthropic/claude", GIT_AUTHOR_NAME: "Molecule AI x" } })
    expect(ContainerSpec.environment(spec, undefined)).toEqual([
      `WORKSPACE_ID=${spec.id}`,
      "WORKSPACE_CONFIG_PATH=/configs",
      "PLATFORM_URL=http://host.docker.internal:8080",
      "MOLECULE_URL=http://host.docker.internal:8080",
      "TIER=3",
      "PLUGINS_DIR=/plugins",
      "PYTHONPATH=/app",
      "MODEL=anthropic/claude",
      "GIT_AUTHOR_NAME=Molecule AI x"
    ])
  })

  it("a prepared variable with a fixed name replaces it in place, so no name appears twice", () => {
    const env = ContainerSpec.environment(startSpec({ env: { PYTHONPATH: "/custom", EXTRA: "1" } }), undefined)
    expect(env.filter((e) => e.startsWith("PYTHONPATH="))).toEqual(["PYTHONPATH=/custom"])
    expect(env.indexOf("PYTHONPATH=/custom")).toBe(6)
    expect(env.at(-1)).toBe("EXTRA=1")
  })

  it("awareness: both or neither, following the platform's AWARENESS_URL", () => {
    const spec = startSpec({ env: { AWARENESS_NAMESPACE: "ns-1", AWARENESS_URL: "http://elsewhere" } })
    const without = ContainerSpec.environment(spec, undefined)
    expect(without.some((e) => e.startsWith("AWARENESS_"))).toBe(false)
    const withUrl = ContainerSpec.environment(spec, "http://awareness:9000")
    expect(withUrl.filter((e) => e.startsWith("AWARENESS_"))).toEqual(["AWARENESS_NAMESPACE=ns-1", "AWARENESS_URL=http://awareness:9000"])
    const defaulted = ContainerSpec.environment(startSpec(), "http://awareness:9000")
    expect(defaulted).toContain(`AWARENESS_NAMESPACE=workspace:${defaulted[0]?.slice("WORKSPACE_ID=".length)}`)
  })
})

describe("host config by tier", () => {
  const host = (tier: number, network = options.network) => ContainerSpec.hostConfig(startSpec({ tier }), { ...options, network })
  const binds = (config: Docker.HostConfig) => (config.Binds ?? []).map((b) => b.split(":")[1])

  it("T1: read-only root, a 64 MB tmpfs, only /configs, no limits", () => {
    const config = host(1)
    expect(config.ReadonlyRootfs).toBe(true)
    expect(config.Tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,size=64m" })
    expect(binds(config)).toEqual(["/configs"])
    expect(config.Memory).toBeUndefined()
    expect(config.NanoCpus).toBeUndefined()
    expect(config.Privileged).toBeUndefined()
  })

  it("T2 and unknown tiers: TIER2 limits, workspace and sessions mounts, unprivileged", () => {
    for (const tier of [2, 0, 5, -1]) {
      const config = host(tier)
      expect(config.Memory).toBe(512 * MiB)
      expect(config.NanoCpus).toBe(1_000_000_000)
      expect(binds(config)).toEqual(["/configs", "/workspace", "/root/.claude/sessions"])
      expect(config.Privileged).toBeUndefined()
      expect(config.NetworkMode).toBe("molecule-monorepo-net")
    }
  })

  it("T3: privileged, host PID, TIER3 limits, the configured network", () => {
    const config = host(3)
    expect([config.Privileged, config.PidMode, config.Memory, config.NanoCpus]).toEqual([true, "host", 2048 * MiB, 2_000_000_000])
    expect(config.NetworkMode).toBe("molecule-monorepo-net")
  })

  it("T4: privileged, host PID, host network, the engine socket, TIER4 limits, no published port", () => {
    const config = host(4)
    expect([config.Privileged, config.PidMode, config.NetworkMode]).toEqual([true, "host", "host"])
    expect(config.Binds).toContain("/run/engine.sock:/var/run/docker.sock")
    expect([config.Memory, config.NanoCpus]).toEqual([4096 * MiB, 4_000_000_000])
    expect(config.PortBindings).toBeUndefined()
  })

  it("network none wins over every tier and publishes no port", () => {
    for (const tier of [1, 2, 3, 4]) {
      const config = host(tier, "none")
      expect(config.NetworkMode).toBe("none")
      expect(config.PortBindings).toBeUndefined()
    }
  })

  it("otherwise the agent port is published on loopback with an ephemeral host port", () => {
    expect(host(2).PortBindings).toEqual({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] })
    expect(host(2).RestartPolicy).toEqual({ Name: "unless-stopped" })
  })

  it("NanoCPUs = shares × 10⁹ / 1024", () => {
    expect(ContainerSpec.nanoCpus(1024)).toBe(1_000_000_000)
    expect(ContainerSpec.nanoCpus(512)).toBe(500_000_000)
    expect(ContainerSpec.nanoCpus(3000)).toBe(Math.round(3000 * 1e9 / 1024))
    const custom = { ...options, tiers: { ...DEFAULT_TIERS, 2: { memoryMb: 100, cpuShares: 256 } } }
    expect(ContainerSpec.hostConfig(startSpec(), custom).NanoCpus).toBe(250_000_000)
  })
})

describe("mounts", () => {
  it("the host workspace directory when access ≠ none, read-only for read_only; else the named volume", () => {
    const dir = { workspaceDir: "/srv/code" }
    expect(ContainerSpec.workspaceMount(startSpec({ ...dir, workspaceAccess: "read_write" }))).toBe("/srv/code:/workspace")
    expect(ContainerSpec.workspaceMount(startSpec({ ...dir, workspaceAccess: "read_only" }))).toBe("/srv/code:/workspace:ro")
    const none = startSpec({ ...dir, workspaceAccess: "none" })
    expect(ContainerSpec.workspaceMount(none)).toBe(`ws-${none.id}-workspace:/workspace`)
    const noDir = startSpec({ workspaceAccess: "read_write" })
    expect(ContainerSpec.workspaceMount(noDir)).toBe(`ws-${noDir.id}-workspace:/workspace`)
  })

  it("named volumes: configs always; workspace unless a host dir is bound; sessions for claude-code above T1", () => {
    const s = startSpec()
    expect(ContainerSpec.namedVolumes(s)).toEqual([`ws-${s.id}-configs`, `ws-${s.id}-workspace`, `ws-${s.id}-claude-sessions`])
    const hermes = startSpec({ runtime: "hermes", workspaceDir: "/srv", workspaceAccess: "read_only" })
    expect(ContainerSpec.namedVolumes(hermes)).toEqual([`ws-${hermes.id}-configs`])
    expect(ContainerSpec.hostConfig(hermes, options).Binds).toEqual([`ws-${hermes.id}-configs:/configs`, "/srv:/workspace:ro"])
    const t1 = startSpec({ tier: 1 })
    expect(ContainerSpec.namedVolumes(t1)).toEqual([`ws-${t1.id}-configs`])
  })
})

describe("create body", () => {
  it("carries the managed label, the exposed port, and the name as alias on a named network only", () => {
    const spec = startSpec()
    const body = ContainerSpec.createBody(spec, "img:1", { ...options, awarenessUrl: undefined })
    expect(body.Labels).toEqual({ "molecule.platform.managed": "true" })
    expect(body.ExposedPorts).toEqual({ "8000/tcp": {} })
    expect(body.NetworkingConfig).toEqual({ EndpointsConfig: { "molecule-monorepo-net": { Aliases: [`ws-${spec.id}`] } } })
    const none = ContainerSpec.createBody(spec, "img:1", { ...options, network: "none", awarenessUrl: undefined })
    expect(none.NetworkingConfig).toBeUndefined()
    const t4 = ContainerSpec.createBody(startSpec({ tier: 4 }), "img:1", { ...options, awarenessUrl: undefined })
    expect(t4.NetworkingConfig).toBeUndefined()
  })

  it("the published port is read from the inspection; unbound or empty means none yet", () => {
    const inspect = (ports: unknown) => ({ NetworkSettings: { Ports: ports } }) as unknown as Docker.ContainerInspectInfo
    expect(ContainerSpec.publishedPort(inspect({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "49153" }] }))).toBe("49153")
    expect(ContainerSpec.publishedPort(inspect({ "8000/tcp": null }))).toBeUndefined()
    expect(ContainerSpec.publishedPort(inspect({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] }))).toBeUndefined()
    expect(ContainerSpec.publishedPort(inspect({}))).toBeUndefined()
  })
})
