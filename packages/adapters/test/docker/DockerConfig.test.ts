/** Docker settings from the environment (§1): defaults, ignored numbers, per-runtime images. */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as DockerConfig from "../../src/docker/DockerConfig.js"
import { logCapture } from "../../src/testing/LogCapture.js"

const provider = (entries: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(entries)))
const read = (entries: Record<string, string>) => DockerConfig.DockerConfig.pipe(Effect.withConfigProvider(provider(entries)))

describe("DockerConfig", () => {
  it.effect("defaults when nothing is set", () =>
    Effect.gen(function* () {
      const { options, warnings } = yield* read({})
      expect(warnings).toEqual([])
      expect(options.network).toBe("molecule-monorepo-net")
      expect(options.helperImage).toBe("alpine")
      expect(options.socketPath).toBe("/var/run/docker.sock")
      expect(options.awarenessUrl).toBeUndefined()
      expect(options.imagePlatform).toBe(DockerConfig.defaultImagePlatform() === "" ? undefined : "linux/amd64")
      expect(options.tiers).toEqual({
        2: { memoryMb: 512, cpuShares: 1024 },
        3: { memoryMb: 2048, cpuShares: 2048 },
        4: { memoryMb: 4096, cpuShares: 4096 }
      })
    }))

  it.effect("set values are used", () =>
    Effect.gen(function* () {
      const { options, warnings } = yield* read({
        BERTH_DOCKER_NETWORK: "none",
        BERTH_HELPER_IMAGE: "127.0.0.1:5000/helper:1",
        MOLECULE_IMAGE_PLATFORM: "linux/arm64",
        DOCKER_HOST: "unix:///run/other.sock",
        AWARENESS_URL: "http://awareness:9000",
        TIER3_MEMORY_MB: "3000",
        TIER3_CPU_SHARES: "1536"
      })
      expect(warnings).toEqual([])
      expect([options.network, options.helperImage, options.imagePlatform, options.socketPath, options.awarenessUrl]).toEqual([
        "none", "127.0.0.1:5000/helper:1", "linux/arm64", "/run/other.sock", "http://awareness:9000"
      ])
      expect(options.tiers[3]).toEqual({ memoryMb: 3000, cpuShares: 1536 })
    }))

  it.effect("an invalid tier number is ignored with a warning and the default applies", () =>
    Effect.gen(function* () {
      const { options, warnings } = yield* read({
        TIER2_MEMORY_MB: "0",
        TIER2_CPU_SHARES: "-5",
        TIER3_MEMORY_MB: "1.5",
        TIER4_CPU_SHARES: "lots",
        TIER4_MEMORY_MB: "1e3"
      })
      expect(options.tiers).toEqual(DockerConfig.DEFAULT_TIERS)
      expect(warnings).toHaveLength(5)
      expect(warnings[0]).toBe(`TIER2_MEMORY_MB="0" is not a positive integer, using 512`)
    }))

  it.effect("an empty MOLECULE_IMAGE_PLATFORM turns the platform off; a non-unix DOCKER_HOST is refused", () =>
    Effect.gen(function* () {
      const { options, warnings } = yield* read({ MOLECULE_IMAGE_PLATFORM: "", DOCKER_HOST: "tcp://10.0.0.1:2375" })
      expect(options.imagePlatform).toBeUndefined()
      expect(options.socketPath).toBe("/var/run/docker.sock")
      expect(warnings).toEqual([`DOCKER_HOST="tcp://10.0.0.1:2375" is not a unix socket — using /var/run/docker.sock`])
    }))

  it("BERTH_IMAGE_<RUNTIME> is upper-cased with - → _", () => {
    expect(DockerConfig.imageVariable("claude-code")).toBe("BERTH_IMAGE_CLAUDE_CODE")
    expect(DockerConfig.imageVariable("gemini-cli")).toBe("BERTH_IMAGE_GEMINI_CLI")
    expect(DockerConfig.imageVariable("hermes")).toBe("BERTH_IMAGE_HERMES")
  })

  it.effect("load binds images to its provider: the variable, else upstream's default name; warnings are logged", () =>
    Effect.gen(function* () {
      const logs = logCapture()
      const options = yield* DockerConfig.load.pipe(
        Effect.withConfigProvider(
          provider({ BERTH_IMAGE_CLAUDE_CODE: "127.0.0.1:5000/agent:2", BERTH_IMAGE_HERMES: "  ", TIER2_MEMORY_MB: "x" })
        ),
        Effect.provide(logs.layer)
      )
      expect(logs.lines).toEqual([
        { level: "WARN", text: `Docker config: TIER2_MEMORY_MB="x" is not a positive integer, using 512` }
      ])
      // Read outside the provider it was loaded with: the binding still applies.
      expect(yield* options.imageFor("claude-code")).toBe("127.0.0.1:5000/agent:2")
      expect(yield* options.imageFor("hermes")).toBe("ghcr.io/molecule-ai/workspace-template-hermes:latest")
      expect(yield* options.imageFor("gemini-cli")).toBe("ghcr.io/molecule-ai/workspace-template-gemini-cli:latest")
    }))
})
