/**
 * One test file's share of the real engine and loopback registry: image names unique to the run, the workspaces and
 * extra containers it made, and a teardown that removes every container, volume and image among them. Also the
 * Docker provisioner built from settings the way `main` builds it, with network `none` (nothing leaves 127.0.0.1).
 */
import type Docker from "dockerode"
import { ConfigProvider, Layer } from "effect"
import { randomBytes } from "node:crypto"
import * as ContainerSpec from "../docker/ContainerSpec.js"
import * as DockerProvisioner from "../docker/DockerProvisioner.js"
import * as DockerImages from "./DockerImages.js"
import { dockerSocketPath } from "./Services.js"

/** The engine's own platform, passed as `MOLECULE_IMAGE_PLATFORM` so pulls and creates exercise it. */
export const hostPlatform = `linux/${process.arch === "x64" ? "amd64" : process.arch}`

/** The `Provisioner` layer from settings (as `main` builds it): the test socket, network none, the host platform, then `settings`. */
export const provisionerLayer = (helperImage: string, settings: Readonly<Record<string, string>> = {}) =>
  DockerProvisioner.layerConfig.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({
      DOCKER_HOST: `unix://${dockerSocketPath}`,
      BERTH_DOCKER_NETWORK: "none",
      BERTH_HELPER_IMAGE: helperImage,
      MOLECULE_IMAGE_PLATFORM: hostPlatform,
      ...settings
    })))))
  )

/** A file's images, workspaces and containers on the engine `docker()` (read lazily: it may be absent and the file skipped). */
export const make = (docker: () => Docker, suite: string) => {
  const run = `${suite}-${randomBytes(3).toString("hex")}`
  const refs: Array<string> = []
  const imageIds: Array<string> = []
  const ids: Array<string> = []
  /** Containers outside the workspace naming (e.g. planted strangers), removed at teardown. */
  const containers: Array<string> = []

  /** `127.0.0.1:5000/berth-test/<name>-<run>:<tag>`, removed at teardown. */
  const ref = (name: string, tag: string): string => {
    const r = DockerImages.testImageRef(`${name}-${run}`, tag)
    refs.push(r)
    return r
  }
  /** The `BERTH_HELPER_IMAGE` of this file, published by `setup`. */
  const helperImage = ref("helper", "1.0")

  /** Imports `image` with `/marker` = `marker` and pushes it; the image is removed at teardown. */
  const publish = async (image: string, marker: string) => {
    const published = await DockerImages.publishImage(docker(), image, marker)
    imageIds.push(published.id)
    return published
  }
  /** Imports `image` locally only (never pushed). */
  const importOnly = async (image: string, marker: string, cmd?: ReadonlyArray<string>) => {
    const id = await DockerImages.importImage(docker(), image, marker, cmd)
    imageIds.push(id)
    return id
  }

  /** v2 goes to the registry under `image` while the local tag stays on image `v1Id`: only a pull can bring v2 here. Its id. */
  const publishBehind = async (image: string, v1Id: string, marker = "v2") => {
    const v2 = await importOnly(image, marker)
    await DockerImages.pushImage(docker(), image)
    await DockerImages.tagImage(docker(), v1Id, image)
    return v2
  }

  /** Marks a workspace id whose containers (current and legacy names) and volumes go at teardown. */
  const track = (id: string): void => {
    ids.push(id)
  }

  /** Whether a container name is one this fixture removes at teardown. */
  const owns = (name: string): boolean =>
    containers.includes(name) || ids.some((id) => name === ContainerSpec.containerName(id) || name === ContainerSpec.legacyContainerName(id))

  const setup = async () => {
    await publish(helperImage, "helper")
  }

  const teardown = async () => {
    const d = docker()
    const workspaceNames = ids.flatMap((id) => [ContainerSpec.containerName(id), ContainerSpec.legacyContainerName(id)])
    for (const name of [...containers, ...workspaceNames]) await d.getContainer(name).remove({ force: true }).catch(() => undefined)
    const volumes = [
      ...ids.map(ContainerSpec.workspaceVolume),
      ...workspaceNames.flatMap((name) => [ContainerSpec.configVolumeOf(name), ContainerSpec.sessionsVolumeOf(name)])
    ]
    for (const volume of volumes) await d.getVolume(volume).remove({ force: true }).catch(() => undefined)
    await DockerImages.removeImages(d, [...refs, ...imageIds])
  }

  return { run, ref, helperImage, publish, importOnly, publishBehind, track, owns, containers, setup, teardown, docker }
}
