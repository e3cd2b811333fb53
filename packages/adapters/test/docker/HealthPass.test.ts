/**
 * The health sweep's Docker pass (§7.1) on the real engine: the real lifecycle (`Lifecycle.make`, what
 * `Lifecycle.layer` provides) over PGlite and the real `DockerProvisioner`. A container stopped or removed behind
 * Berth's back makes its workspace `offline` with `WORKSPACE_OFFLINE`, and the offline handler's auto-restart brings
 * a new container up; a running one is left alone.
 */
import type { WorkspaceId } from "@berth/core"
import { AutoRestart, EventLog, HealthSweep, Lifecycle, WorkspaceStore } from "@berth/core"
import { afterAll, beforeAll, describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { backendLayer, configsDir, lifecycleServices, persistence } from "../lifecycle/Harness.js"
import { create, setStatus } from "../sql/RepositorySuite.js"
import { engineFixture, servicesUp } from "./EngineFixture.js"

const fx = engineFixture("health")

describe.skipIf(!servicesUp)("health sweep Docker pass on the engine", () => {
  const docker = fx.docker
  const agentImage = fx.ref("agent", "1.0")
  const provisioner = fx.provisioner({ BERTH_IMAGE_CLAUDE_CODE: agentImage })
  const container = (id: WorkspaceId.WorkspaceId) => docker().getContainer(ContainerSpec.containerName(id))
  const state = (id: WorkspaceId.WorkspaceId) =>
    Effect.promise(() => container(id).inspect().then((i) => ({ id: i.Id, running: i.State.Running })))

  beforeAll(async () => {
    await fx.setup()
    await fx.publish(agentImage, "v1")
  })
  afterAll(() => fx.teardown())

  layer(persistence, { excludeTestServices: true, timeout: "120 seconds" })("lifecycle", (it) => {
    it.scoped("stopped or removed behind Berth's back → offline, WORKSPACE_OFFLINE, auto-restarted; running → untouched", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const log = yield* EventLog
        const p = yield* provisioner
        const context = yield* Layer.build(lifecycleServices(backendLayer(p), configsDir([])))
        const built = yield* Effect.provide(Lifecycle.make, context)

        const [stopped, removed, healthy] = [yield* create({ tier: 2 }), yield* create({ tier: 2 }), yield* create({ tier: 2 })]
        for (const id of [stopped, removed, healthy]) {
          fx.spec({ id })
          yield* built.lifecycle.provisionInBackground(id, { _tag: "Generated", configYaml: "name: ws\n" })
        }
        yield* built.awaitIdle
        const before = new Map<WorkspaceId.WorkspaceId, string>()
        for (const id of [stopped, removed, healthy]) {
          const s = yield* state(id)
          expect(s.running).toBe(true)
          before.set(id, s.id)
          // As if the agent had registered.
          yield* setStatus(id, "online")
        }
        yield* Effect.promise(() => container(stopped).stop({ t: 0 }))
        yield* Effect.promise(() => container(removed).remove({ force: true }))

        yield* HealthSweep.dockerPass.pipe(Effect.provide(Layer.mergeAll(
          backendLayer(p),
          Layer.succeed(AutoRestart, built.autoRestart)
        )))
        yield* built.awaitIdle

        for (const id of [stopped, removed]) {
          const events = (yield* log.latest(100, id)).map((e) => [e.type, e.payload.source])
          // Newest first: the auto-restart's PROVISIONING after the sweep's OFFLINE.
          expect(events.slice(0, 2)).toEqual([["WORKSPACE_PROVISIONING", "auto_restart"], ["WORKSPACE_OFFLINE", "health_sweep"]])
          const now = yield* state(id)
          expect(now.running).toBe(true)
          expect(now.id).not.toBe(before.get(id))
          // Back to waiting for the agent's register.
          expect(Option.map(yield* store.get(id), (w) => w.status)).toEqual(Option.some("provisioning"))
        }
        expect((yield* log.latest(100, healthy)).some((e) => e.type === "WORKSPACE_OFFLINE")).toBe(false)
        expect(yield* state(healthy)).toEqual({ id: before.get(healthy), running: true })
        expect(Option.map(yield* store.get(healthy), (w) => w.status)).toEqual(Option.some("online"))
      }))
  })
})
