/**
 * The real engine and loopback registry for the Docker provisioner suites: availability (skips locally, throws
 * under `BERTH_REQUIRE_SERVICES=1`), per-file image names and workspace ids, a provisioner built from settings
 * the way `main` builds it, and a teardown that removes every container, volume and image the file created.
 */
import type { StartSpec } from "@berth/core"
import { Errors, Provisioner } from "@berth/core"
import { Effect, ConfigProvider, Layer } from "effect"
import { randomBytes } from "node:crypto"
import * as ContainerSpec from "../../src/docker/ContainerSpec.js"
import * as DockerProvisioner from "../../src/docker/DockerProvisioner.js"
import { DockerImages, Testing } from "../../src/index.js"
import { startSpec } from "./StartSpecs.js"

export const docker = await Testing.dockerEngine()
/** Both services answer; `describe.skipIf(!servicesUp)`. */
export const servicesUp = docker !== undefined && (await Testing.registryAvailable())

/** The engine's own platform, passed as `MOLECULE_IMAGE_PLATFORM` so pulls and creates exercise it. */
export const hostPlatform = `linux/${process.arch === "x64" ? "amd64" : process.arch}`

const engine = () => {
  if (docker === undefined) throw new Error("no Docker engine")
  return docker
}

/** One test file's images, workspaces and provisioners on the shared engine. */
export const engineFixture = (suite: string) => {
  const run = `${suite}-${randomBytes(3).toString("hex")}`
  const refs: Array<string> = []
  const imageIds: Array<string> = []
  const ids: Array<string> = []
  const containers: Array<string> = []

  /** `127.0.0.1:5000/berth-test/<name>-<run>:<tag>`, removed at teardown. */
  const ref = (name: string, tag: string): string => {
    const r = DockerImages.testImageRef(`${name}-${run}`, tag)
    refs.push(r)
    return r
  }
  const helperImage = ref("helper", "1.0")

  const publish = async (image: string, marker: string) => {
    const published = await DockerImages.publishImage(engine(), image, marker)
    imageIds.push(published.id)
    return published
  }
  const importOnly = async (image: string, marker: string, cmd?: ReadonlyArray<string>) => {
    const id = await DockerImages.importImage(engine(), image, marker, cmd)
    imageIds.push(id)
    return id
  }

  /** A start spec whose containers and volumes are removed at teardown. */
  const spec = (overrides: Partial<StartSpec> = {}): StartSpec => {
    const s = startSpec(overrides)
    ids.push(s.id)
    return s
  }

  /** The provisioner from settings (as `main` builds it): network none, the helper image, plus `settings`. */
  const provisioner = (settings: Record<string, string> = {}) =>
    Effect.provide(
      Provisioner,
      DockerProvisioner.layerConfig.pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({
          DOCKER_HOST: `unix://${Testing.dockerSocketPath}`,
          BERTH_DOCKER_NETWORK: "none",
          BERTH_HELPER_IMAGE: helperImage,
          MOLECULE_IMAGE_PLATFORM: hostPlatform,
          ...settings
        })))))
      )
    )

  const setup = async () => {
    await publish(helperImage, "helper")
  }

  const teardown = async () => {
    const d = engine()
    const names = [...containers, ...ids.flatMap((id) => [ContainerSpec.containerName(id), ContainerSpec.legacyContainerName(id)])]
    for (const name of names) await d.getContainer(name).remove({ force: true }).catch(() => undefined)
    for (const id of ids) {
      for (const volume of [ContainerSpec.configVolume(id), ContainerSpec.workspaceVolume(id), ContainerSpec.sessionsVolume(id)]) {
        await d.getVolume(volume).remove({ force: true }).catch(() => undefined)
      }
    }
    await DockerImages.removeImages(d, [...refs, ...imageIds])
  }

  return { run, ref, helperImage, publish, importOnly, spec, provisioner, setup, teardown, containers, docker: engine }
}

/** The `ProvisionFailed` an operation must fail with (a success or `NoBackend` fails the test). */
export const provisionFailure = <A, R>(effect: Effect.Effect<A, Errors.ProvisionFailed | Errors.NoBackend, R>) =>
  Effect.flip(effect).pipe(
    Effect.filterOrDieMessage((e): e is Errors.ProvisionFailed => e._tag === "ProvisionFailed", "expected ProvisionFailed")
  )
