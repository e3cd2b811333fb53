/** The Docker provisioner on the real engine (§8.2): start, stop, running state, exec, volumes, lookups. */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { DEFAULT_TIERS } from "../../src/docker/DockerConfig.js"
import * as DockerProvisioner from "../../src/docker/DockerProvisioner.js"
import { DockerImages, Testing } from "../../src/testing/index.js"
import { engineFixture, provisionFailure, servicesUp } from "./EngineFixture.js"
import { logCapture } from "../../src/testing/LogCapture.js"

const fx = engineFixture("prov")
const AWARENESS_URL = "http://awareness.invalid:9000"
const MiB = 1024 * 1024

describe.skipIf(!servicesUp)("DockerProvisioner on the engine", () => {
  const docker = fx.docker
  const agentImage = fx.ref("agent", "1.0")
  const settings = { BERTH_IMAGE_CLAUDE_CODE: agentImage, BERTH_IMAGE_HERMES: agentImage, AWARENESS_URL, TIER2_MEMORY_MB: "384" }
  const provisioner = fx.provisioner(settings)
  const inspect = (id: string) => Effect.promise(() => docker().getContainer(ContainerSpec.containerName(id)).inspect())
  const exec = (id: string, cmd: ReadonlyArray<string>) =>
    Effect.promise(() => DockerImages.execIn(docker(), ContainerSpec.containerName(id), cmd))
  const absent = (name: string) =>
    Effect.promise(() => docker().getContainer(name).inspect().then(() => false, (e: { statusCode?: number }) => e.statusCode === 404))

  beforeAll(async () => {
    await fx.setup()
    await fx.publish(agentImage, "v1")
  })
  afterAll(() => fx.teardown())

  it.live("start: labelled volumes, environment, labels, limits, network none, internal URL", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const spec = fx.spec({ env: { MODEL: "anthropic/claude", PYTHONPATH: "/custom" } })
      expect(yield* p.start(spec)).toEqual({ url: `http://ws-${spec.id}:8000`, instanceId: null })
      const info = yield* inspect(spec.id)
      expect(info.State.Running).toBe(true)
      expect(info.Config.Labels).toEqual({ "molecule.platform.managed": "true" })
      expect(info.Config.Env.filter((e) => !e.startsWith("PATH="))).toEqual([
        `WORKSPACE_ID=${spec.id}`, "WORKSPACE_CONFIG_PATH=/configs", `PLATFORM_URL=${spec.platformUrl}`,
        `MOLECULE_URL=${spec.platformUrl}`, "TIER=2", "PLUGINS_DIR=/plugins", "PYTHONPATH=/custom",
        `AWARENESS_NAMESPACE=workspace:${spec.id}`, `AWARENESS_URL=${AWARENESS_URL}`, "MODEL=anthropic/claude"
      ])
      expect(info.HostConfig.NetworkMode).toBe("none")
      expect(info.HostConfig.PortBindings ?? {}).toEqual({})
      expect(info.HostConfig.RestartPolicy?.Name).toBe("unless-stopped")
      expect([info.HostConfig.Memory, info.HostConfig.NanoCpus]).toEqual([384 * MiB, 1_000_000_000])
      expect(info.HostConfig.Binds).toEqual([
        `ws-${spec.id}-configs:/configs`, `ws-${spec.id}-workspace:/workspace`, `ws-${spec.id}-claude-sessions:/root/.claude/sessions`
      ])
      for (const volume of ContainerSpec.namedVolumes(spec)) {
        const v = yield* Effect.promise(() => docker().getVolume(volume).inspect())
        expect(v.Labels).toEqual({ "molecule.platform.managed": "true" })
      }
      expect(yield* p.isRunning({ id: spec.id, instanceId: null })).toBe(true)
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v1")
    }))

  it.live("tier 1 runs as a read-only sandbox with only /configs mounted", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const spec = fx.spec({ tier: 1, runtime: "hermes" })
      yield* p.start(spec)
      const info = yield* inspect(spec.id)
      expect([info.HostConfig.ReadonlyRootfs, info.HostConfig.Tmpfs, info.HostConfig.Binds, info.HostConfig.Memory]).toEqual([
        true, { "/tmp": "rw,noexec,nosuid,size=64m" }, [`ws-${spec.id}-configs:/configs`], 0
      ])
      expect((yield* Effect.exit(exec(spec.id, ["sh", "-c", "echo x > /rootfile"])))._tag).toBe("Failure")
      expect(yield* exec(spec.id, ["sh", "-c", "echo x > /tmp/scratch && cat /tmp/scratch"])).toBe("x\n")
    }))

  // Privileged containers need capabilities a sandboxed engine may lack, so T3/T4 are created, not started: the
  // engine still validates and records the host config (it refuses, e.g., more CPUs than the host has).
  it.live("T3 and T4 host configs as the engine records them; network none wins over T4's host network", () =>
    Effect.gen(function* () {
      const options = {
        network: "none", socketPath: Testing.dockerSocketPath, awarenessUrl: undefined,
        tiers: { ...DEFAULT_TIERS, 3: { memoryMb: 300, cpuShares: 2048 }, 4: { memoryMb: 256, cpuShares: 512 } }
      }
      const created = (tier: number) => {
        const spec = fx.spec({ tier })
        const name = ContainerSpec.containerName(spec.id)
        return Effect.promise(() =>
          docker().createContainer({ ...ContainerSpec.createBody(spec, agentImage, options), name }).then((c) => c.inspect())
        )
      }
      const three = yield* created(3)
      expect([three.HostConfig.Privileged, three.HostConfig.PidMode, three.HostConfig.Memory, three.HostConfig.NanoCpus]).toEqual([
        true, "host", 300 * MiB, 2_000_000_000
      ])
      const four = yield* created(4)
      expect([four.HostConfig.Privileged, four.HostConfig.PidMode, four.HostConfig.NetworkMode]).toEqual([true, "host", "none"])
      expect([four.HostConfig.Memory, four.HostConfig.NanoCpus]).toEqual([256 * MiB, 500_000_000])
      expect(four.HostConfig.Binds).toContain(`${Testing.dockerSocketPath}:/var/run/docker.sock`)
    }))

  it.live("template directory and config files land in /configs, owned by the workspace user, tokens 0600", () =>
    Effect.gen(function* () {
      const template = fs.mkdtempSync(path.join(os.tmpdir(), "berth-template-"))
      fs.writeFileSync(path.join(template, "config.yaml"), "from: template\n")
      fs.mkdirSync(path.join(template, "prompts"))
      fs.writeFileSync(path.join(template, "prompts", "system.md"), "be useful\n")
      fs.writeFileSync(path.join(template, "run.sh"), "#!/bin/sh\n", { mode: 0o755 })
      const spec = fx.spec({
        templateDir: template,
        configFiles: { "config.yaml": "from: generated\n", ".auth_token": "tok-1", ".platform_inbound_secret": "sec", "plugins/extra.yaml": "x: 1\n" }
      })
      const p = yield* provisioner
      yield* p.start(spec)
      fs.rmSync(template, { recursive: true })
      // Generated files are written after the template: the generated config.yaml wins.
      expect(yield* p.execRead(spec.id, "/configs/config.yaml")).toBe("from: generated\n")
      expect(yield* p.execRead(spec.id, "/configs/prompts/system.md")).toBe("be useful\n")
      expect(yield* p.execRead(spec.id, "/configs/plugins/extra.yaml")).toBe("x: 1\n")
      const stat = (file: string) => exec(spec.id, ["stat", "-c", "%a %u:%g", `/configs/${file}`]).pipe(Effect.map((s) => s.trim()))
      expect(yield* stat(".auth_token")).toBe("600 1000:1000")
      expect(yield* stat(".platform_inbound_secret")).toBe("600 1000:1000")
      expect(yield* stat("config.yaml")).toBe("644 1000:1000")
      expect(yield* stat("run.sh")).toBe("755 1000:1000")
      expect(yield* stat("prompts")).toBe("755 1000:1000")
    }))

  it.live("an unreadable template is a warning: the workspace still starts with its generated files", () =>
    Effect.gen(function* () {
      const logs = logCapture()
      const spec = fx.spec({ templateDir: "/nonexistent/template", configFiles: { "config.yaml": "ok\n" } })
      const p = yield* provisioner
      yield* p.start(spec).pipe(Effect.provide(logs.layer))
      expect(yield* p.execRead(spec.id, "/configs/config.yaml")).toBe("ok\n")
      expect(logs.lines.filter((l) => l.level === "WARN").map((l) => l.text)).toEqual([
        expect.stringContaining("Provisioner: failed to copy template /nonexistent/template into /configs")
      ])
    }))

  it.live("stop force-removes; isRunning false after; stop of an absent container succeeds; execRead failures are typed", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const spec = fx.spec({ configFiles: { "config.yaml": "kept: true\n", "plugins/p.yaml": "p: 1\n" } })
      const ref = { id: spec.id, instanceId: null }
      yield* p.start(spec)
      const missing = yield* provisionFailure(p.execRead(spec.id, "/configs/nothing"))
      expect(missing).toMatchObject({ _tag: "ProvisionFailed", operation: "execRead", workspaceId: spec.id, retryable: false })
      expect(missing.message).toContain("No such file")
      yield* p.stop(ref)
      expect(yield* absent(`ws-${spec.id}`)).toBe(true)
      expect(yield* p.isRunning(ref)).toBe(false)
      yield* p.stop(ref)
      const gone = yield* provisionFailure(p.execRead(spec.id, "/marker"))
      expect([gone.status, gone.retryable]).toEqual([404, false])
      // Volumes outlive the container: a restart finds its configs.
      expect(yield* p.volumeHasFile(spec.id, "config.yaml")).toBe(true)
      expect(yield* p.volumeHasFile(spec.id, "plugins/p.yaml")).toBe(true)
      // A directory is not a file.
      expect(yield* p.volumeHasFile(spec.id, "plugins")).toBe(false)
    }))

  it.live("7 starts in parallel all end running", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const specs = Array.from({ length: 7 }, () => fx.spec())
      const results = yield* Effect.all(specs.map((s) => p.start(s)), { concurrency: "unbounded" })
      expect(results.map((r) => r.url)).toEqual(specs.map((s) => `http://ws-${s.id}:8000`))
      const running = yield* Effect.all(specs.map((s) => p.isRunning({ id: s.id, instanceId: null })))
      expect(running).toEqual(Array(7).fill(true))
      for (const s of specs) expect((yield* inspect(s.id)).State.Status).toBe("running")
    }))

  it.live("resetSession empties the claude-sessions volume; a plain restart keeps it", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const spec = fx.spec()
      yield* p.start(spec)
      yield* exec(spec.id, ["sh", "-c", "echo kept > /root/.claude/sessions/s1"])
      yield* p.start(spec)
      expect(yield* p.execRead(spec.id, "/root/.claude/sessions/s1")).toBe("kept\n")
      yield* p.start({ ...spec, resetSession: true })
      expect(yield* provisionFailure(p.execRead(spec.id, "/root/.claude/sessions/s1"))).toMatchObject({ retryable: false })
    }))

  it.live("volumes: no file, then the token after writeAuthTokenToVolume (0600, workspace user); removeVolume", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const spec = fx.spec()
      expect(yield* p.volumeHasFile(spec.id, ".auth_token")).toBe(false)
      yield* p.writeAuthTokenToVolume(spec.id, "token-\"quoted\" $x")
      expect(yield* p.volumeHasFile(spec.id, ".auth_token")).toBe(true)
      expect(yield* p.volumeHasFile(spec.id, "config.yaml")).toBe(false)
      const read = yield* Effect.promise(() =>
        DockerImages.runOnce(docker(), fx.helperImage, [`ws-${spec.id}-configs:/configs`], [
          "sh", "-c", "stat -c '%a %u:%g' /configs/.auth_token && cat /configs/.auth_token"
        ])
      )
      expect(read).toBe("600 1000:1000\ntoken-\"quoted\" $x")
      // A started container sees the token the pipeline wrote before start.
      yield* p.start(spec)
      expect(yield* p.execRead(spec.id, "/configs/.auth_token")).toBe("token-\"quoted\" $x")
      const inUse = yield* provisionFailure(p.removeVolume(spec.id))
      expect([inUse.operation, inUse.status]).toEqual(["removeVolume", 409])
      yield* p.stop({ id: spec.id, instanceId: null })
      yield* p.removeVolume(spec.id)
      expect(yield* p.volumeHasFile(spec.id, ".auth_token")).toBe(false)
      yield* p.removeVolume(spec.id)
      // Helper containers never outlive their call.
      const helpers = yield* Effect.promise(() => docker().listContainers({ all: true, filters: { ancestor: [fx.helperImage] } }))
      expect(helpers).toEqual([])
    }))

  it.live("listManaged and locateContainer: current name, legacy name (stopped → exited), none", () =>
    Effect.gen(function* () {
      const p = yield* provisioner
      const current = fx.spec()
      const legacy = fx.spec()
      yield* p.start(current)
      const legacyName = `ws-${legacy.id.slice(0, 12)}`
      const stranger = `ws-stranger-${fx.run}`
      fx.containers.push(stranger)
      yield* Effect.promise(async () => {
        const old = await docker().createContainer({
          name: legacyName, Image: agentImage, Labels: { "molecule.platform.managed": "true" }, HostConfig: { NetworkMode: "none" }
        })
        await old.start()
        await old.stop({ t: 0 })
        await docker().createContainer({ name: stranger, Image: agentImage, HostConfig: { NetworkMode: "none" } })
      })
      expect(yield* p.locateContainer(current.id)).toEqual({
        tried: [`ws-${current.id}`], found: Option.some({ name: `ws-${current.id}`, running: true, state: "running" })
      })
      expect(yield* p.locateContainer(legacy.id)).toEqual({
        tried: [`ws-${legacy.id}`, legacyName], found: Option.some({ name: legacyName, running: false, state: "exited" })
      })
      const nobody = fx.spec().id
      expect(yield* p.locateContainer(nobody)).toEqual({ tried: [`ws-${nobody}`, `ws-${nobody.slice(0, 12)}`], found: Option.none() })
      const managed = yield* p.listManaged
      expect(managed).toContainEqual({ name: `ws-${current.id}`, running: true })
      expect(managed).toContainEqual({ name: legacyName, running: false })
      expect(managed.map((m) => m.name)).not.toContain(stranger)
    }))

  it.live("an engine that does not answer: isRunning says running (warned), other operations fail retryable", () =>
    Effect.gen(function* () {
      const logs = logCapture()
      const p = yield* fx.provisioner({ DOCKER_HOST: "unix:///nonexistent/docker.sock" })
      const ref = { id: fx.spec().id, instanceId: null }
      expect(yield* p.isRunning(ref).pipe(Effect.provide(logs.layer))).toBe(true)
      expect(logs.lines.map((l) => l.level)).toEqual(["WARN"])
      const failure = yield* provisionFailure(p.stop(ref))
      expect(failure).toMatchObject({ operation: "stop", workspaceId: ref.id, retryable: true })
      expect(failure.status).toBeUndefined()
      expect((yield* provisionFailure(p.listManaged)).retryable).toBe(true)
      expect("consoleOutput" in p).toBe(false)
    }))

  it.live("ping answers true for the engine, false for a socket nobody serves; pingConfigured follows DOCKER_HOST", () =>
    Effect.gen(function* () {
      expect(yield* DockerProvisioner.ping(Testing.dockerSocketPath)).toBe(true)
      expect(yield* DockerProvisioner.ping("/nonexistent/docker.sock")).toBe(false)
      const configured = (dockerHost: string) =>
        DockerProvisioner.pingConfigured.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["DOCKER_HOST", dockerHost]]))))
      expect(yield* configured(`unix://${Testing.dockerSocketPath}`)).toBe(true)
      expect(yield* configured("unix:///nonexistent/docker.sock")).toBe(false)
    }))
})
