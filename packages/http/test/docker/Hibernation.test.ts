/**
 * Issue 19's acceptance on the real engine (§2.4): hibernate removes the container and keeps its volumes (a file
 * written in the workspace volume before is there after the wake), restart wakes it, pause cascades to a child and
 * resume re-creates both.
 */
import type { WorkspaceId } from "@berth/core"
import { StatusWrites, Transitions } from "@berth/core"
import { afterAll, beforeAll, describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { adminSettings } from "../support/Clients.js"
import { json, send, testServerOver } from "../support/TestServer.js"
import { asAdmin, dockerServer, servicesUp } from "./DockerServer.js"

const e2e = dockerServer("http-hibernate")
const { fx, hermesImage } = e2e

/** The agent would register; these images run no agent, so a set-up row marks it online. */
const online = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(StatusWrites, (w) => w.transition({
    id, input: undefined,
    row: { name: "testSetUp:online", from: Transitions.anyButRemoved, to: "online", event: "WORKSPACE_ONLINE", source: "register", payload: () => ({}) }
  }))

const post = (id: string, route: string) => send("POST", `/workspaces/${id}/${route}`, { headers: asAdmin })

const volumeExists = (name: string) => Effect.promise(() =>
  e2e.docker().getVolume(name).inspect().then(() => true, (error: { statusCode?: number }) => error.statusCode !== 404))

describe.skipIf(!servicesUp)("pause and hibernation on the real engine", () => {
  beforeAll(async () => {
    await fx.setup()
    await fx.publish(hermesImage, "v1")
  })
  afterAll(() => fx.teardown())

  layer(testServerOver(e2e.backend, adminSettings), { timeout: "120 seconds", excludeTestServices: true })((it) => {
    it.effect("hibernate removes the container and keeps the volumes; restart wakes it with the file still there", () =>
      Effect.gen(function* () {
        const id = yield* e2e.create({ name: "sleeper", runtime: "hermes" })
        const first = yield* e2e.untilRunning(id)
        yield* e2e.exec(id, ["sh", "-c", "printf kept > /workspace/proof"])
        yield* online(id)
        const answer = yield* post(id, "hibernate")
        expect([answer.status, json(answer)]).toEqual([200, { status: "hibernated" }])
        expect((yield* e2e.container(id))._tag).toBe("None")
        expect(yield* volumeExists(`ws-${id}-workspace`)).toBe(true)
        expect(yield* volumeExists(`ws-${id}-configs`)).toBe(true)
        expect((yield* e2e.workspace(id))["status"]).toBe("hibernated")
        const wake = yield* post(id, "restart")
        expect(wake.status).toBe(200)
        yield* e2e.untilRunning(id, first)
        expect(yield* e2e.exec(id, ["cat", "/workspace/proof"])).toBe("kept")
        const events = json(yield* send("GET", `/events/${id}`, { headers: asAdmin })) as ReadonlyArray<{ event_type: string; payload: Record<string, unknown> }>
        expect(events.slice(0, 3).map((e) => [e.event_type, e.payload["source"]])).toEqual([
          ["WORKSPACE_PROVISIONING", "wake"], ["WORKSPACE_HIBERNATED", "hibernate"], ["WORKSPACE_HIBERNATING", "hibernate"]
        ])
      }))

    it.effect("pause stops a parent and its child, keeping volumes; resume re-creates both", () =>
      Effect.gen(function* () {
        const parent = yield* e2e.create({ name: "parent", runtime: "hermes" })
        const child = yield* e2e.create({ name: "child", runtime: "hermes", parent_id: parent })
        const before = [yield* e2e.untilRunning(parent), yield* e2e.untilRunning(child)] as const
        yield* e2e.exec(child, ["sh", "-c", "printf child > /workspace/proof"])
        const paused = yield* post(parent, "pause")
        expect([paused.status, json(paused)]).toEqual([200, { status: "paused", paused_count: 2 }])
        for (const id of [parent, child]) {
          expect((yield* e2e.container(id))._tag).toBe("None")
          expect(yield* volumeExists(`ws-${id}-workspace`)).toBe(true)
        }
        const resumed = yield* post(parent, "resume")
        expect([resumed.status, json(resumed)]).toEqual([200, { status: "provisioning", resumed_count: 2 }])
        yield* e2e.untilRunning(parent, before[0])
        yield* e2e.untilRunning(child, before[1])
        expect(yield* e2e.exec(child, ["cat", "/workspace/proof"])).toBe("child")
      }))
  })
})
