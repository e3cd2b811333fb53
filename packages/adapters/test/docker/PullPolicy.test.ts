/**
 * The pull policy on the real engine and the loopback registry (§8.2 step 6, §9.5). Pulls are observed through the
 * engine's own events API (`type=image`, `event=pull`) between two instants, and images through the engine's ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { DockerImages } from "../../src/testing/index.js"
import { engineFixture, provisionFailure, servicesUp } from "./EngineFixture.js"
import { logCapture } from "../../src/testing/LogCapture.js"

const fx = engineFixture("pull")
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

describe.skipIf(!servicesUp)("pull policy", () => {
  const docker = fx.docker
  const engine = <A>(f: () => Promise<A>) => Effect.promise(f)
  const imageId = (ref: string) => engine(() => DockerImages.imageIdOf(docker(), ref))
  /** The engine's pull events of repository `repo` (any tag or digest) while `effect` ran. */
  const pullsDuring = <A, E, R>(repo: string, effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      const since = Date.now()
      const result = yield* effect
      const until = Date.now() + 50
      const events = yield* engine(() => DockerImages.pullEvents(docker(), since, until))
      return { result, pulls: events.filter((ref) => ref.startsWith(`${repo}:`) || ref.startsWith(`${repo}@`)) }
    })
  const repoOf = (ref: string) => ref.slice(0, ref.lastIndexOf(":"))
  const publishBehind = (ref: string, v1: string) => engine(() => fx.publishBehind(ref, v1))

  beforeAll(() => fx.setup())
  afterAll(() => fx.teardown())

  it.live("a moving tag is re-pulled on every start: v1 first, v2 after it was pushed", () =>
    Effect.gen(function* () {
      const ref = fx.ref("moving", "latest")
      const v1 = yield* engine(() => fx.publish(ref, "v1"))
      const logs = logCapture()
      const p = yield* fx.provisioner({ BERTH_IMAGE_MOVING_AGENT: ref })
      const spec = fx.spec({ runtime: "moving-agent" })
      const first = yield* pullsDuring(repoOf(ref), p.start(spec).pipe(Effect.provide(logs.layer)))
      expect(first.pulls).toEqual([ref])
      expect(logs.lines.map((l) => l.text)).toContainEqual(expect.stringMatching(new RegExp(
        `^Provisioner: image ${escape(ref)} present locally \\(ID: ${v1.id.slice(0, 19)}, created: [0-9T:-]{19}\\) but tag is moving — re-pulling to refresh$`
      )))
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v1")

      const v2 = yield* publishBehind(ref, v1.id)
      expect(yield* imageId(ref)).toBe(v1.id)
      yield* p.stop({ id: spec.id, instanceId: null })
      const second = yield* pullsDuring(repoOf(ref), p.start(spec))
      expect(second.pulls).toEqual([ref])
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v2")
      expect(yield* imageId(ref)).toBe(v2)
      expect(v2).not.toBe(v1.id)
      const info = yield* engine(() => docker().getContainer(ContainerSpec.containerName(spec.id)).inspect())
      expect(info.Image).toBe(v2)
    }))

  it.live("a pinned tag present locally is never pulled, even when the registry moved it; absent, it is pulled", () =>
    Effect.gen(function* () {
      const ref = fx.ref("pinned", "1.0")
      const v1 = yield* engine(() => fx.publish(ref, "v1"))
      const p = yield* fx.provisioner({ BERTH_IMAGE_PINNED: ref })
      const spec = fx.spec({ runtime: "pinned" })
      expect((yield* pullsDuring(repoOf(ref), p.start(spec))).pulls).toEqual([])
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v1")

      yield* publishBehind(ref, v1.id)
      yield* p.stop({ id: spec.id, instanceId: null })
      expect((yield* pullsDuring(repoOf(ref), p.start(spec))).pulls).toEqual([])
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v1")
      expect(yield* imageId(ref)).toBe(v1.id)

      yield* p.stop({ id: spec.id, instanceId: null })
      yield* engine(() => DockerImages.removeImages(docker(), [ref]))
      expect((yield* pullsDuring(repoOf(ref), p.start(spec))).pulls).toEqual([ref])
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v2")
    }))

  it.live("a digest present locally is never pulled; the container runs exactly that image", () =>
    Effect.gen(function* () {
      const tagged = fx.ref("digest", "1.0")
      const v1 = yield* engine(() => fx.publish(tagged, "v1"))
      const byDigest = `${repoOf(tagged)}@${v1.digest}`
      yield* publishBehind(tagged, v1.id)
      expect(yield* imageId(byDigest)).toBe(v1.id)
      const p = yield* fx.provisioner({ BERTH_IMAGE_DIGEST: byDigest })
      const spec = fx.spec({ runtime: "digest" })
      expect((yield* pullsDuring(repoOf(tagged), p.start(spec))).pulls).toEqual([])
      expect(yield* p.execRead(spec.id, "/marker")).toBe("v1")
      const info = yield* engine(() => docker().getContainer(ContainerSpec.containerName(spec.id)).inspect())
      expect(info.Image).toBe(v1.id)
    }))

  it.live("a failed pull of a moving tag falls back to the local image with a warning", () =>
    Effect.gen(function* () {
      const ref = fx.ref("localonly", "latest")
      yield* engine(() => fx.importOnly(ref, "local"))
      const logs = logCapture()
      const p = yield* fx.provisioner({ BERTH_IMAGE_LOCAL: ref })
      const spec = fx.spec({ runtime: "local" })
      yield* p.start(spec).pipe(Effect.provide(logs.layer))
      expect(yield* p.execRead(spec.id, "/marker")).toBe("local")
      const warnings = logs.lines.filter((l) => l.level === "WARN").map((l) => l.text)
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`^Provisioner: pull of ${escape(ref)} failed \\(.+\\) — using the local image`))])
    }))

  it.live("no local image and a failed pull: the contract's message, and no container", () =>
    Effect.gen(function* () {
      const ref = fx.ref("absent", "latest")
      const p = yield* fx.provisioner({ BERTH_IMAGE_ABSENT: ref })
      const spec = fx.spec({ runtime: "absent" })
      const failure = yield* provisionFailure(p.start(spec))
      expect(failure.operation).toBe("start")
      expect(failure.message).toMatch(
        new RegExp(`^docker image "${escape(ref)}" not found after pull attempt — verify the image name and registry access \\(underlying error: .*manifest unknown.*\\)$`)
      )
      expect([failure.status, failure.retryable]).toEqual([404, false])
      const found = yield* engine(() => docker().listContainers({ all: true, filters: { name: [ContainerSpec.containerName(spec.id)] } }))
      expect(found).toEqual([])
    }))

  it.live("a container that cannot start is force-removed and the start fails", () =>
    Effect.gen(function* () {
      const ref = fx.ref("broken", "1.0")
      yield* engine(() => fx.importOnly(ref, "broken", ["/bin/no-such-program"]))
      const p = yield* fx.provisioner({ BERTH_IMAGE_BROKEN: ref })
      const spec = fx.spec({ runtime: "broken" })
      const failure = yield* provisionFailure(p.start(spec))
      expect(failure.message).toContain(`docker: start container ws-${spec.id}:`)
      const found = yield* engine(() => docker().listContainers({ all: true, filters: { name: [ContainerSpec.containerName(spec.id)] } }))
      expect(found).toEqual([])
    }))
})
