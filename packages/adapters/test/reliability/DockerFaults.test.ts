/**
 * Issue 10, Docker faults: a Docker engine of the test's own (never the shared one) stopped mid-run and started
 * again, under the real Docker provisioner, the real lifecycle, the health sweep's Docker pass and the orphan
 * sweeper, on Postgres. While the engine is down nothing is torn down on a guess (no workspace marked offline, no
 * token revoked) and what needs it fails with a reason; when it is back, containers it restarted are left alone,
 * containers it lost are restarted by the health sweep, and after the orphan sweeper no container is leaked.
 */
import { SqlClient } from "@effect/sql"
import type { WorkspaceId } from "@berth/core"
import {
  AutoRestart, EventLog, HealthSweep, OrphanSweeper, Reprovisioning, StatusWrites, TokenRepository, WorkspaceStore
} from "@berth/core"
import type { DockerProvisioner } from "../../src/index.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { DockerImages, Eventually, Testing } from "../../src/testing/index.js"
import { engineFixture } from "../docker/EngineFixture.js"
import type { LifecycleHarness } from "../lifecycle/Harness.js"
import { backendLayer, configsDir, withLifecycleOver } from "../lifecycle/Harness.js"
import { create, event, setStatus } from "../sql/RepositorySuite.js"
import type { OwnEngine } from "./OwnEngine.js"
import * as OwnEngineModule from "./OwnEngine.js"
import { postgresPersistence } from "./PostgresPersistence.js"

const url = await Testing.freshPostgresDatabase("berth_rel_docker")

const images = { agent: "berth-rel/agent:1.0", helper: "berth-rel/helper:1.0" }
// PID 1 that ends on SIGTERM, so a stopping engine stops its containers at once instead of after 10 s.
const agentCommand = ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
const generated = { _tag: "Generated", configYaml: "name: \"ws\"\nruntime: claude-code\n" } as const

/** The images, imported offline from busybox-static (a fresh engine needs them again). */
const loadImages = (engine: OwnEngine) =>
  Effect.promise(() => Promise.all([
    DockerImages.importImage(engine.docker, images.agent, "agent", agentCommand),
    DockerImages.importImage(engine.docker, images.helper, "helper")
  ]))

/** A tier-2 workspace: the unprivileged tier (tiers 3 and 4 run privileged, which a test host may refuse). */
const workspace = (name: string) => create({ name, tier: 2 })

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.flatMap(store.get(id), (o) => Effect.orDie(o)))

/** The managed containers on the engine: name → container id and whether it runs. */
const managed = (engine: OwnEngine) =>
  Effect.promise(async () => {
    const listed = await engine.docker.listContainers({ all: true, filters: { label: [`${ContainerSpec.MANAGED_LABEL}=true`] } })
    return new Map(listed.map((c) => [(c.Names[0] ?? "").replace(/^\//, ""), { id: c.Id, running: c.State === "running" }] as const))
  })

const volumesOf = (engine: OwnEngine, id: string) =>
  Effect.promise(async () => {
    const names = new Set(((await engine.docker.listVolumes()).Volumes ?? []).map((v) => v.Name))
    return [ContainerSpec.configVolume(id), ContainerSpec.sessionsVolume(id)].filter((v) => names.has(v))
  })

/** Database time: every token of `id` unused for ten minutes, past the orphan sweeper's grace. */
const ageTokens = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`UPDATE workspace_auth_tokens SET created_at = now() - interval '10 minutes', last_used_at = NULL WHERE workspace_id = ${id}`)

/** The health sweep's Docker pass and the orphan sweeper, on the lifecycle's provisioner and auto-restart. */
const sweeps = (provisioner: DockerProvisioner.DockerBackend, h: LifecycleHarness) => ({
  health: HealthSweep.dockerPass.pipe(Effect.provideService(AutoRestart, h.autoRestart), Effect.provide(backendLayer(provisioner))),
  orphans: OrphanSweeper.pass.pipe(Effect.provide(backendLayer(provisioner)))
})

const available = url !== undefined && OwnEngineModule.dockerdAvailable

describe.skipIf(!available)("Docker engine stopped and started mid-run (own dockerd, Postgres)", () => {
  it.live("sweeps do nothing rash while the engine is down and recover every workspace when it is back", () =>
      Effect.scoped(Effect.gen(function* () {
        const { engine } = yield* OwnEngineModule.make
        yield* loadImages(engine)
        const provisioner = yield* engineFixture("rel-docker-faults").provisioner({
          DOCKER_HOST: `unix://${engine.socketPath}`,
          BERTH_HELPER_IMAGE: images.helper,
          BERTH_IMAGE_CLAUDE_CODE: images.agent
        })
        const store = yield* WorkspaceStore
        const tokens = yield* TokenRepository
        yield* withLifecycleOver(backendLayer(provisioner), (h) => Effect.gen(function* () {
          const { health, orphans } = sweeps(provisioner, h)
          const kept = [yield* workspace("kept-1"), yield* workspace("kept-2"), yield* workspace("kept-3")]
          const deleted = yield* workspace("deleted-while-down")
          const wiped = yield* workspace("row-lost-while-down")
          for (const id of [...kept, deleted, wiped]) yield* h.lifecycle.provisionInBackground(id, generated)
          yield* h.awaitIdle
          // The agents registered: the rows are online, each container runs.
          for (const id of [...kept, deleted, wiped]) yield* setStatus(id, "online")
          const before = yield* managed(engine)
          for (const id of [...kept, deleted, wiped]) expect(before.get(ContainerSpec.containerName(id))?.running, id).toBe(true)
          for (const id of kept) yield* ageTokens(id)

          // --- The engine stops.
          yield* engine.stop
          expect(yield* engine.answers).toBe(false)
          yield* health
          yield* orphans
          for (const id of kept) {
            expect((yield* row(id)).status, "no workspace is marked offline on an engine error").toBe("online")
            expect(yield* tokens.hasLive(id), "no token is revoked without the container listing").toBe(true)
          }
          // A delete cannot stop the container now; a row disappears (a restored database); a provision fails.
          yield* store.markRemoved([{ id: deleted, event: event("WORKSPACE_REMOVED", { source: "delete" }) }])
          const stopFailures = yield* h.lifecycle.stopRemoved([{ id: deleted, runtime: "claude-code", instanceId: null }])
          expect(stopFailures.map((f) => f.id)).toEqual([deleted])
          yield* store.purge([wiped])
          const late = yield* workspace("provisioned-while-down")
          yield* h.lifecycle.provisionInBackground(late, generated)
          yield* h.awaitIdle
          expect([(yield* row(late)).status, (yield* row(late)).lastSampleError]).toEqual(["failed", "workspace start failed"])
          const failed = (yield* (yield* EventLog).latest(10, late)).filter((e) => e.type === "WORKSPACE_PROVISION_FAILED")
          expect(failed.map((e) => e.payload)).toEqual([{ error: "workspace start failed", source: "provision" }])

          // --- The engine is back, with its containers (restart policy unless-stopped).
          yield* engine.start
          yield* Eventually.until("the engine restarted its containers", Effect.map(managed(engine), (now) =>
            kept.every((id) => now.get(ContainerSpec.containerName(id))?.running === true)))
          yield* health
          for (const id of kept) {
            expect((yield* row(id)).status).toBe("online")
            // Not restarted by Berth: the same container the engine brought back.
            expect((yield* managed(engine)).get(ContainerSpec.containerName(id))?.id).toBe(before.get(ContainerSpec.containerName(id))?.id)
          }
          yield* orphans
          for (const id of [deleted, wiped]) {
            expect((yield* managed(engine)).has(ContainerSpec.containerName(id)), `${id}'s container`).toBe(false)
            expect(yield* volumesOf(engine, id), `${id}'s volumes`).toEqual([])
          }
          for (const id of kept) expect(yield* tokens.hasLive(id)).toBe(true)
          // The provision that failed during the outage succeeds on a restart.
          yield* Reprovisioning.markProvisioning(yield* StatusWrites, yield* row(late), "user_restart")
          yield* h.lifecycle.restartInBackground(late, { config: { _tag: "ExistingVolume" }, resetSession: false })
          yield* h.awaitIdle
          expect((yield* managed(engine)).get(ContainerSpec.containerName(late))?.running).toBe(true)
          expect([...(yield* managed(engine)).keys()].sort()).toEqual([...kept, late].map(ContainerSpec.containerName).sort())

          // --- The engine stops and comes back without its state (a reinstalled host): the containers are gone.
          yield* engine.stop
          yield* engine.startWiped
          yield* loadImages(engine)
          expect((yield* managed(engine)).size).toBe(0)
          yield* health
          yield* h.awaitIdle
          for (const id of kept) {
            const offline = (yield* (yield* EventLog).latest(20, id)).filter((e) => e.type === "WORKSPACE_OFFLINE")
            expect(offline.map((e) => e.payload), "marked offline once by the health sweep").toEqual([{ source: "health_sweep" }])
            expect((yield* row(id)).status, "auto-restarted, waiting for its agent").toBe("provisioning")
          }
          yield* orphans
          const after = yield* managed(engine)
          const expected = kept.map(ContainerSpec.containerName).sort()
          expect([...after.keys()].sort(), "exactly the restarted workspaces' containers, none leaked").toEqual(expected)
          for (const id of kept) expect(after.get(ContainerSpec.containerName(id))?.running).toBe(true)
          expect(Option.isSome(yield* store.get(late))).toBe(true)
        }), { configsDir: configsDir(["claude-code-default"]) })
      })).pipe(Effect.provide(postgresPersistence(url ?? ""))), { timeout: 300_000 })
})
