/**
 * Create, terminal diagnosis, restart and delete with the Docker provisioner on the real engine (network `none`,
 * images from the loopback registry), under the real workspace lifecycle — what `main` runs in self-hosted mode.
 * The server runs on the live clock here: container start and stop are real engine work.
 */
import { DockerImages, DockerProvisioner, Testing } from "@berth/adapters"
import { afterAll, beforeAll, describe, expect, layer } from "@effect/vitest"
import { WorkspaceId } from "@berth/core"
import { ConfigProvider, Effect, Layer, Schedule } from "effect"
import { randomBytes } from "node:crypto"
import * as Backend from "../src/Backend.js"
import { admin, adminSettings, stored } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { json, send, testServerOver } from "./support/TestServer.js"

const docker = await Testing.dockerEngine()
const servicesUp = docker !== undefined && (await Testing.registryAvailable())

const run = randomBytes(3).toString("hex")
const agentImage = DockerImages.testImageRef(`http-agent-${run}`, "1.0")
const helperImage = DockerImages.testImageRef(`http-helper-${run}`, "1.0")
const created: Array<string> = []

const dockerBackend = Backend.backendOver(DockerProvisioner.layerConfig.pipe(
  Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([
    ["DOCKER_HOST", `unix://${Testing.dockerSocketPath}`],
    ["BERTH_DOCKER_NETWORK", "none"],
    ["BERTH_HELPER_IMAGE", helperImage],
    ["BERTH_IMAGE_CLAUDE_CODE", agentImage]
  ]))))
))

const asAdmin = bearer(admin)

/** The engine's view of a workspace's container; absent → undefined. */
const container = (id: string) =>
  Effect.promise(() => docker!.getContainer(`ws-${id}`).inspect().then(
    (info) => ({ id: info.Id, running: info.State.Running, status: info.State.Status }),
    () => undefined
  ))

/** Waits (bounded, on the engine) until the container satisfies `ok`. */
const until = (id: string, ok: (c: { readonly id: string; readonly running: boolean } | undefined) => boolean) =>
  container(id).pipe(
    Effect.filterOrFail(ok, () => new Error(`container ws-${id} not there yet`)),
    Effect.retry(Schedule.intersect(Schedule.spaced("200 millis"), Schedule.recurs(150)))
  )

const createContainerWorkspace = (name: string) =>
  Effect.gen(function* () {
    // tier 2: tiers 3 and 4 are privileged, which this engine (itself in a container) cannot grant
    const answer = yield* send("POST", "/workspaces", { headers: asAdmin, body: JSON.stringify({ name, tier: 2 }) })
    expect(answer.status).toBe(201)
    const id = (json(answer) as { id: string }).id
    created.push(id)
    return WorkspaceId.unsafeMake(id)
  })

describe.skipIf(!servicesUp)("create, diagnose, restart and delete over the Docker provisioner", () => {
  beforeAll(async () => {
    await DockerImages.publishImage(docker!, agentImage, "agent")
    await DockerImages.publishImage(docker!, helperImage, "helper")
  }, 120_000)

  afterAll(async () => {
    for (const id of created) {
      await docker!.getContainer(`ws-${id}`).remove({ force: true }).catch(() => undefined)
      for (const volume of [`ws-${id}-configs`, `ws-${id}-workspace`, `ws-${id}-claude-sessions`]) {
        await docker!.getVolume(volume).remove({ force: true }).catch(() => undefined)
      }
    }
    await DockerImages.removeImages(docker!, [agentImage, helperImage])
  }, 120_000)

  layer(testServerOver(dockerBackend, adminSettings), { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("create starts ws-<id>; diagnosis sees it found and running, then stopped", () =>
      Effect.gen(function* () {
        const id = yield* createContainerWorkspace("docker-bot")
        yield* until(id, (c) => c?.running === true)
        expect((yield* stored(id)).status).toBe("provisioning")
        const healthy = json(yield* send("GET", `/workspaces/${id}/terminal/diagnose`, { headers: asAdmin }))
        expect(healthy).toEqual({
          workspace_id: id,
          remote: false,
          ok: true,
          steps: [
            { name: "container-found", ok: true, duration_ms: expect.any(Number), detail: `ws-${id}` },
            { name: "container-running", ok: true, duration_ms: 0, detail: "running" }
          ]
        })
        yield* Effect.promise(() => docker!.getContainer(`ws-${id}`).kill())
        yield* until(id, (c) => c?.running === false)
        const stopped = json(yield* send("GET", `/workspaces/${id}/terminal/diagnose`, { headers: asAdmin })) as Record<string, unknown>
        expect(stopped).toMatchObject({ ok: false, first_failure: "container-running" })
        expect((stopped["steps"] as Array<unknown>)[1]).toEqual({ name: "container-running", ok: false, duration_ms: 0, error: "container not running", detail: "exited" })
        // no container at all: both names tried
        const absent = WorkspaceId.unsafeMake("7d1e0c3a-55aa-4b1c-9e2f-0a1b2c3d4e5f")
        const none = json(yield* send("GET", `/workspaces/${absent}/terminal/diagnose`, { headers: asAdmin }))
        expect(none).toEqual({
          workspace_id: absent, remote: false, ok: false, first_failure: "container-found",
          steps: [{ name: "container-found", ok: false, duration_ms: expect.any(Number), error: "no matching container", detail: `tried: ws-${absent}, ws-${absent.slice(0, 12)}` }]
        })
      }))

    it.effect("restart answers at once; the cycle replaces the container", () =>
      Effect.gen(function* () {
        const id = yield* createContainerWorkspace("restart-bot")
        const first = yield* until(id, (c) => c?.running === true)
        const answer = yield* send("POST", `/workspaces/${id}/restart`, { headers: asAdmin })
        expect([answer.status, json(answer)]).toEqual([200, { status: "provisioning", config_dir: "existing-volume", reset_session: false }])
        const second = yield* until(id, (c) => c?.running === true && c.id !== first?.id)
        expect(second?.id).not.toBe(first?.id)
      }))

    it.effect("delete stops the container and removes its config volume before answering", () =>
      Effect.gen(function* () {
        const id = yield* createContainerWorkspace("delete-bot")
        yield* until(id, (c) => c?.running === true)
        const answer = yield* send("DELETE", `/workspaces/${id}`, { headers: asAdmin })
        expect([answer.status, json(answer)]).toEqual([200, { status: "removed", cascade_deleted: 0 }])
        expect(yield* container(id)).toBeUndefined()
        const volume = yield* Effect.promise(() => docker!.getVolume(`ws-${id}-configs`).inspect().then(() => true, () => false))
        expect(volume).toBe(false)
        expect((yield* stored(id)).status).toBe("removed")
      }))
  })
})
