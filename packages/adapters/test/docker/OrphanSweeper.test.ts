/**
 * The orphan sweeper (§7.3) on the real engine: core's `OrphanSweeper.pass` over PGlite and the real
 * `DockerProvisioner`. The engine is shared with other suites, so the sweeper is shown only this file's containers
 * (their containers match no row here and would be swept); every other operation is the adapter's own.
 */
import { SqlClient } from "@effect/sql"
import type { WorkspaceId } from "@berth/core"
import { ManagedContainers, OrphanSweeper, TokenRepository, WorkspaceStore } from "@berth/core"
import { afterAll, beforeAll, describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import { persistence } from "../lifecycle/Harness.js"
import { create, event, setStatus } from "../sql/RepositorySuite.js"
import { engineFixture, provisionFailure, servicesUp } from "./EngineFixture.js"

const fx = engineFixture("sweep")

/** Backdates one token's `created_at` and `last_used_at` (null: never used) by seconds of database time. */
const ageToken = (tokenId: string, createdSecondsAgo: number, usedSecondsAgo: number | null) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`
    UPDATE workspace_auth_tokens SET
      created_at = now() - make_interval(secs => ${createdSecondsAgo}::float8),
      last_used_at = CASE WHEN ${usedSecondsAgo}::float8 IS NULL THEN NULL
                          ELSE now() - make_interval(secs => ${usedSecondsAgo}::float8) END
    WHERE id = ${tokenId}`)

const markRemoved = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => store.markRemoved([{ id, event: event("WORKSPACE_REMOVED", { source: "delete" }) }]))

describe.skipIf(!servicesUp)("orphan sweeper on the engine", () => {
  const docker = fx.docker
  const agentImage = fx.ref("agent", "1.0")
  const provisioner = fx.provisioner({ BERTH_IMAGE_CLAUDE_CODE: agentImage })
  /** The real provisioner whose listing is cut down to this file's containers (see the module doc). */
  const sweeper = Effect.map(provisioner, (p) =>
    Layer.succeed(ManagedContainers, { ...p, listManaged: Effect.map(p.listManaged, (all) => all.filter((c) => fx.owns(c.name))) }))
  const sweep = Effect.flatMap(sweeper, (layer) => Effect.provide(OrphanSweeper.pass, layer))

  const containerExists = (name: string) =>
    Effect.promise(() => docker().getContainer(name).inspect().then(() => true, (e: { statusCode?: number }) => e.statusCode !== 404))
  const volumeExists = (name: string) =>
    Effect.promise(() => docker().getVolume(name).inspect().then(() => true, (e: { statusCode?: number }) => e.statusCode !== 404))

  /** A running container `name` made by hand (an earlier Berth, or someone else), with its labelled config volume when managed. */
  const plant = (name: string, managed: boolean) =>
    Effect.promise(async () => {
      const labels = managed ? { ...ContainerSpec.managedLabels } : {}
      if (managed) await docker().createVolume({ Name: ContainerSpec.configVolumeOf(name), Labels: labels })
      const binds = managed ? [`${ContainerSpec.configVolumeOf(name)}:/configs`] : []
      const container = await docker().createContainer({ name, Image: agentImage, Labels: labels, HostConfig: { NetworkMode: "none", Binds: binds } })
      await container.start()
    })

  beforeAll(async () => {
    await fx.setup()
    await fx.publish(agentImage, "v1")
  })
  afterAll(() => fx.teardown())

  layer(persistence, { excludeTestServices: true, timeout: "120 seconds" })("one database", (it) => {
    it.effect("passes 1 and 2: row-less and removed-row containers go with their volumes, legacy names too; a live row's and an unlabelled one stay", () =>
      Effect.gen(function* () {
        const p = yield* provisioner
        const started = (id: WorkspaceId.WorkspaceId) => p.start(fx.spec({ id }))
        const wiped = fx.spec()
        yield* p.start(wiped)
        const removed = yield* create()
        yield* started(removed)
        yield* markRemoved(removed)
        const legacyRemoved = yield* create()
        fx.spec({ id: legacyRemoved })
        const legacyName = ContainerSpec.legacyContainerName(legacyRemoved)
        yield* plant(legacyName, true)
        yield* markRemoved(legacyRemoved)
        const live = yield* create()
        yield* started(live)
        yield* setStatus(live, "online")
        const stranger = `ws-${randomUUID()}`
        fx.containers.push(stranger)
        yield* plant(stranger, false)
        for (const volume of [ContainerSpec.configVolume(wiped.id), ContainerSpec.sessionsVolume(wiped.id), ContainerSpec.configVolumeOf(legacyName)]) {
          expect(yield* volumeExists(volume)).toBe(true)
        }

        yield* sweep

        for (const name of [ContainerSpec.containerName(wiped.id), ContainerSpec.containerName(removed), legacyName]) {
          expect([name, yield* containerExists(name)]).toEqual([name, false])
        }
        const goneVolumes = [
          ContainerSpec.configVolume(wiped.id), ContainerSpec.sessionsVolume(wiped.id),
          ContainerSpec.configVolume(removed), ContainerSpec.sessionsVolume(removed), ContainerSpec.configVolumeOf(legacyName)
        ]
        for (const volume of goneVolumes) expect([volume, yield* volumeExists(volume)]).toEqual([volume, false])
        expect(yield* containerExists(ContainerSpec.containerName(live))).toBe(true)
        expect(yield* volumeExists(ContainerSpec.configVolume(live))).toBe(true)
        expect(yield* containerExists(stranger)).toBe(true)
      }))

    it.effect("removeManaged refuses a container without Berth's label and leaves it; an absent one is already removed", () =>
      Effect.gen(function* () {
        const p = yield* provisioner
        const stranger = `ws-${randomUUID()}`
        fx.containers.push(stranger)
        yield* plant(stranger, false)
        const refused = yield* provisionFailure(p.removeManaged(stranger))
        expect([refused.operation, refused.retryable, refused.message]).toEqual([
          "removeManaged", false, `docker: container ${stranger} lacks the label molecule.platform.managed=true: not managed by Berth, left alone`
        ])
        expect(yield* containerExists(stranger)).toBe(true)
        yield* p.removeManaged(`ws-${randomUUID()}`)
      }))

    it.effect("pass 3: stale tokens are revoked only for container workspaces without a running container; fresh, used and external ones survive", () =>
      Effect.gen(function* () {
        const tokens = yield* TokenRepository
        const p = yield* provisioner
        const grace = OrphanSweeper.STALE_TOKEN_GRACE_SECONDS
        const external = yield* create({ runtime: "external" })
        const vanished = yield* create()
        const running = yield* create()
        const legacyRunning = yield* create()
        for (const id of [external, vanished, running, legacyRunning]) yield* setStatus(id, "online")
        yield* p.start(fx.spec({ id: running }))
        fx.spec({ id: legacyRunning })
        yield* plant(ContainerSpec.legacyContainerName(legacyRunning), true)

        const issue = (id: WorkspaceId.WorkspaceId, createdSecondsAgo: number, usedSecondsAgo: number | null = null) =>
          Effect.tap(Effect.map(tokens.issue(id), (t) => t.id), (tokenId) => ageToken(tokenId, createdSecondsAgo, usedSecondsAgo))
        const externalStale = yield* issue(external, 2 * grace)
        yield* issue(vanished, 2 * grace)
        const vanishedUsed = yield* issue(vanished, 2 * grace, grace - 60)
        const vanishedYoung = yield* issue(vanished, grace - 60)
        const runningStale = yield* issue(running, 2 * grace)
        const legacyStale = yield* issue(legacyRunning, 2 * grace)
        // Minted right before the pass, as if between the candidate query and the revoke.
        const minted = yield* issue(vanished, 0)

        yield* sweep

        const live = (id: WorkspaceId.WorkspaceId) => Effect.map(tokens.list(id, 200, 0), (list) => list.map((t) => t.id).sort())
        expect(yield* live(vanished)).toEqual([vanishedUsed, vanishedYoung, minted].sort())
        expect(yield* live(external)).toEqual([externalStale])
        expect(yield* live(running)).toEqual([runningStale])
        expect(yield* live(legacyRunning)).toEqual([legacyStale])
      }))
  })
})
