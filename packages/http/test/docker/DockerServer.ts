/**
 * A real Berth HTTP server over the Docker provisioner on the real engine (network `none`, images from the loopback
 * registry, the real workspace lifecycle over it — what `main` runs in self-hosted mode), with the engine-side views
 * the end-to-end tests assert on and bounded waits for background outcomes. Every container, volume and image a
 * file makes is tracked by its `EngineFixture` and removed at teardown.
 */
import { DockerImages, EngineFixture, Testing } from "@berth/adapters/testing"
import type { WorkspaceId } from "@berth/core"
import { WorkspaceId as WorkspaceIdModule } from "@berth/core"
import type Docker from "dockerode"
import { Effect, Option, Schedule } from "effect"
import * as Backend from "../../src/Backend.js"
import { admin } from "../support/Clients.js"
import { bearer } from "../support/Fixtures.js"
import { json, send } from "../support/TestServer.js"

export const docker = await Testing.dockerEngine()
/** Engine and registry both answer; `describe.skipIf(!servicesUp)`. */
export const servicesUp = docker !== undefined && (await Testing.registryAvailable())

const engine = (): Docker => {
  if (docker === undefined) throw new Error("no Docker engine")
  return docker
}

export const asAdmin = bearer(admin)

/** Background work is real engine work: waits poll every 200 ms, for at most 30 s. */
const patience = Schedule.intersect(Schedule.spaced("200 millis"), Schedule.recurs(150))

/** What the engine says about a workspace's container `ws-<id>`. */
export interface ContainerView {
  readonly containerId: string
  readonly imageId: string
  readonly running: boolean
  readonly state: string
  readonly labels: Readonly<Record<string, string>>
  readonly env: ReadonlyArray<string>
  readonly networkMode: string | undefined
}

/**
 * One test file's Docker backend and engine views: `hermes` runs `hermesImage` (a moving `:latest` tag the file publishes), `claude-code`
 * an image that is never pushed anywhere, so its provisions fail inside the pipeline.
 */
export const dockerServer = (suite: string) => {
  const fx = EngineFixture.make(engine, suite)
  const hermesImage = fx.ref("hermes", "latest")
  const missingImage = fx.ref("never-pushed", "latest")
  /** The backend for `testServerOver(backend, adminSettings)`. */
  const backend = Backend.backendOver(EngineFixture.provisionerLayer(fx.helperImage, {
    BERTH_IMAGE_HERMES: hermesImage,
    BERTH_IMAGE_CLAUDE_CODE: missingImage
  }))

  const container = (id: WorkspaceId.WorkspaceId): Effect.Effect<Option.Option<ContainerView>> =>
    Effect.promise(() => engine().getContainer(`ws-${id}`).inspect().then(
      (info) => Option.some({
        containerId: info.Id,
        imageId: info.Image,
        running: info.State.Running,
        state: info.State.Status,
        labels: info.Config.Labels ?? {},
        env: info.Config.Env ?? [],
        networkMode: info.HostConfig.NetworkMode
      }),
      (error: { statusCode?: number }) => {
        if (error.statusCode === 404) return Option.none()
        throw error
      }
    ))

  /** Waits (bounded) until the engine's view of the container satisfies `ok`; the view then. */
  const untilContainer = (id: WorkspaceId.WorkspaceId, ok: (c: Option.Option<ContainerView>) => boolean, what: string) =>
    container(id).pipe(
      Effect.filterOrFail(ok, () => new Error(`ws-${id}: still not ${what}`)),
      Effect.retry(patience),
      Effect.orDie
    )

  /** Waits until `ws-<id>` runs, and not as the container `previous` (a restart's replacement). */
  const untilRunning = (id: WorkspaceId.WorkspaceId, previous?: ContainerView) =>
    untilContainer(id, (c) => Option.isSome(c) && c.value.running && c.value.containerId !== previous?.containerId, "running")
      .pipe(Effect.map(Option.getOrThrow))

  /** The workspace as `GET /workspaces/:id` answers it. */
  const workspace = (id: WorkspaceId.WorkspaceId) =>
    Effect.map(send("GET", `/workspaces/${id}`, { headers: asAdmin }), (answer) => json(answer) as Record<string, unknown>)

  /** Waits (bounded, over the API) until the workspace's status is `status`; the workspace then. */
  const untilStatus = (id: WorkspaceId.WorkspaceId, status: string) =>
    workspace(id).pipe(
      Effect.filterOrFail((w) => w["status"] === status, (w) => new Error(`${id}: status ${String(w["status"])}, not ${status}`)),
      Effect.retry(patience),
      Effect.orDie
    )

  /** `POST /workspaces` as the operator; the new id, tracked for teardown. Tier 2: this engine grants no privileges. */
  const create = (body: Record<string, unknown>) =>
    Effect.gen(function* () {
      const answer = yield* send("POST", "/workspaces", { headers: asAdmin, body: JSON.stringify({ tier: 2, ...body }) })
      if (answer.status !== 201) return yield* Effect.dieMessage(`create answered ${answer.status}: ${answer.text}`)
      const id = WorkspaceIdModule.unsafeMake((json(answer) as { id: string }).id)
      fx.track(id)
      return id
    })

  /** Runs `cmd` in the workspace's running container; its standard output. */
  const exec = (id: WorkspaceId.WorkspaceId, cmd: ReadonlyArray<string>) =>
    Effect.promise(() => DockerImages.execIn(engine(), `ws-${id}`, cmd))

  return { fx, hermesImage, missingImage, backend, container, untilContainer, untilRunning, workspace, untilStatus, create, exec, docker: engine }
}
