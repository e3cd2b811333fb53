/**
 * Issue 7's end-to-end acceptance over HTTP in self-hosted mode: a Berth server over PGlite and the real Docker
 * provisioner, hermes pointed at a moving tag in the loopback registry. Create starts a labelled container with its
 * token and config, a restart after a new push runs the new image, terminal diagnosis follows the engine, delete
 * leaves nothing, and a provision that dies in the pipeline fails the workspace while the server keeps serving.
 */
import { TokenRepository } from "@berth/core"
import { afterAll, beforeAll, describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { adminSettings } from "../support/Clients.js"
import { json, send, testServerOver } from "../support/TestServer.js"
import { asAdmin, dockerServer, servicesUp } from "./DockerServer.js"

const e2e = dockerServer("http-e2e")
const { fx, hermesImage } = e2e

/** The recorded events of a workspace as `GET /events/:id` answers them, newest first. */
const events = (id: string) =>
  Effect.map(send("GET", `/events/${id}`, { headers: asAdmin }), (answer) =>
    (json(answer) as ReadonlyArray<{ event_type: string; payload: Record<string, unknown> }>))

const diagnose = (id: string) =>
  Effect.map(send("GET", `/workspaces/${id}/terminal/diagnose`, { headers: asAdmin }), (answer) => {
    expect(answer.status).toBe(200)
    return json(answer) as { ok: boolean; remote: boolean; first_failure?: string; steps: ReadonlyArray<Record<string, unknown>> }
  })

describe.skipIf(!servicesUp)("self-hosted mode over HTTP on the real engine", () => {
  let v1 = ""
  beforeAll(async () => {
    await fx.setup()
    v1 = (await fx.publish(hermesImage, "v1")).id
  })
  afterAll(() => fx.teardown())

  layer(testServerOver(e2e.backend, adminSettings), { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("create: hermes runs as a labelled ws-<id> with WORKSPACE_ID, a generated config.yaml and a live .auth_token", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "Hermes E2E", runtime: "hermes" })
        const c = yield* e2e.untilRunning(id)
        expect(c.labels["molecule.platform.managed"]).toBe("true")
        expect(c.env).toContain(`WORKSPACE_ID=${id}`)
        expect(c.env).toContain("WORKSPACE_CONFIG_PATH=/configs")
        expect([c.imageId, c.networkMode]).toEqual([v1, "none"])
        expect(yield* e2e.exec(id, ["cat", "/marker"])).toBe("v1")
        const config = yield* e2e.exec(id, ["cat", "/configs/config.yaml"])
        expect(config).toContain("name: \"Hermes E2E\"")
        expect(config).toContain("runtime: hermes")
        const token = yield* e2e.exec(id, ["cat", "/configs/.auth_token"])
        expect(yield* (yield* TokenRepository).validate(id, token)).toBe(true)
        expect((yield* e2e.workspace(id))["status"]).toBe("provisioning")
        expect((yield* events(id)).map((e) => [e.event_type, e.payload["source"]])).toEqual([["WORKSPACE_PROVISIONING", "create"]])
      }))

    it.effect("terminal diagnosis: every local stage passes while it runs; first_failure container-running once stopped behind Berth's back", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "diagnosed", runtime: "hermes" })
        yield* e2e.untilRunning(id)
        const healthy = yield* diagnose(id)
        expect(healthy).toEqual({
          workspace_id: id,
          remote: false,
          ok: true,
          steps: [
            { name: "docker-available", ok: true, duration_ms: 0 },
            { name: "container-found", ok: true, duration_ms: expect.any(Number), detail: `ws-${id}` },
            { name: "container-running", ok: true, duration_ms: 0, detail: "running" }
          ]
        })
        yield* Effect.promise(() => e2e.docker().getContainer(`ws-${id}`).stop({ t: 0 }))
        yield* e2e.untilContainer(id, (c) => c._tag === "Some" && !c.value.running, "stopped")
        const stopped = yield* diagnose(id)
        expect([stopped.ok, stopped.first_failure]).toEqual([false, "container-running"])
        expect(stopped.steps.at(-1)).toEqual({ name: "container-running", ok: false, duration_ms: 0, error: "container not running", detail: "exited" })
        // No container under either name: both are tried, and the chain stops there.
        const absent = "7d1e0c3a-55aa-4b1c-9e2f-0a1b2c3d4e5f"
        expect(yield* diagnose(absent)).toEqual({
          workspace_id: absent, remote: false, ok: false, first_failure: "container-found",
          steps: [
            { name: "docker-available", ok: true, duration_ms: 0 },
            { name: "container-found", ok: false, duration_ms: expect.any(Number), error: "no matching container", detail: `tried: ws-${absent}, ws-${absent.slice(0, 12)}` }
          ]
        })
      }))

    it.effect("restart after a new push of the moving tag runs the new image", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "moving", runtime: "hermes" })
        const first = yield* e2e.untilRunning(id)
        expect(yield* e2e.exec(id, ["cat", "/marker"])).toBe("v1")
        // The registry gets v2 under the same tag while the local tag stays on v1: only the re-pull can bring it.
        const v2 = yield* Effect.promise(() => fx.publishBehind(hermesImage, v1))
        const answer = yield* send("POST", `/workspaces/${id}/restart`, { headers: asAdmin })
        expect([answer.status, json(answer)]).toEqual([200, { status: "provisioning", config_dir: "existing-volume", reset_session: false }])
        const second = yield* e2e.untilRunning(id, first)
        expect(second.imageId).toBe(v2)
        expect(yield* e2e.exec(id, ["cat", "/marker"])).toBe("v2")
        // The restart kept the config volume: the generated config is still there.
        expect(yield* e2e.exec(id, ["cat", "/configs/config.yaml"])).toContain("name: \"moving\"")
      }))

    it.effect("delete leaves no container and no config volume", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "deleted", runtime: "hermes" })
        yield* e2e.untilRunning(id)
        const answer = yield* send("DELETE", `/workspaces/${id}`, { headers: asAdmin })
        expect([answer.status, json(answer)]).toEqual([200, { status: "removed", cascade_deleted: 0 }])
        expect((yield* e2e.container(id))._tag).toBe("None")
        const volume = yield* Effect.promise(() =>
          e2e.docker().getVolume(`ws-${id}-configs`).inspect().then(() => true, (error: { statusCode?: number }) => error.statusCode !== 404))
        expect(volume).toBe(false)
        expect((yield* events(id))[0]?.event_type).toBe("WORKSPACE_REMOVED")
      }))

    it.effect("purge also removes the workspace data volume, and the row is gone", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "purged", runtime: "hermes" })
        yield* e2e.untilRunning(id)
        const volumeExists = (name: string) => Effect.promise(() =>
          e2e.docker().getVolume(name).inspect().then(() => true, (error: { statusCode?: number }) => error.statusCode !== 404))
        expect(yield* volumeExists(`ws-${id}-workspace`)).toBe(true)
        const answer = yield* send("DELETE", `/workspaces/${id}?purge=true`, { headers: asAdmin })
        expect([answer.status, json(answer)]).toEqual([200, { status: "purged", cascade_deleted: 0 }])
        expect(yield* volumeExists(`ws-${id}-workspace`)).toBe(false)
        expect(yield* volumeExists(`ws-${id}-configs`)).toBe(false)
        expect((yield* send("GET", `/workspaces/${id}`, { headers: asAdmin })).status).toBe(404)
      }))

    it.effect("a provision that dies in the pipeline ends failed with WORKSPACE_PROVISION_FAILED; the server keeps serving", () =>
      Effect.gen(function* () {
        // claude-code's image was never pushed: the pull fails inside the background provision.
        const id = yield* e2e.create({ name: "doomed", runtime: "claude-code" })
        yield* e2e.untilStatus(id, "failed")
        // The list carries the reason (the detail view leaves it out, §5.4): only the client-safe message.
        const listed = json(yield* send("GET", "/workspaces", { headers: asAdmin })) as ReadonlyArray<Record<string, unknown>>
        expect(listed.find((w) => w["id"] === id)?.["last_sample_error"]).toBe("workspace start failed")
        const [latest] = yield* events(id)
        expect([latest?.event_type, latest?.payload]).toEqual(["WORKSPACE_PROVISION_FAILED", { error: "workspace start failed", source: "provision" }])
        expect((yield* e2e.container(id))._tag).toBe("None")
        expect((yield* send("GET", "/health")).status).toBe(200)
        const next = yield* e2e.create({ name: "after the failure", runtime: "hermes" })
        yield* e2e.untilRunning(next)
      }))
  })
})
