/**
 * `VolumeHasFile` and `WriteAuthTokenToVolume` (contract §8.2) through a short-lived utility container.
 *
 * The helper (image `BERTH_HELPER_IMAGE`, network `none`, no Berth label so the orphan sweeper leaves it alone)
 * mounts the config volume at `/configs` and is never started: the engine's archive API reads and writes a created
 * container's mounts, so no shell command, quoting or exit-code wait is involved, and any image with a file system
 * will do. It is force-removed when the operation ends, however it ends.
 */
import type Docker from "dockerode"
import { Effect } from "effect"
import { Readable } from "node:stream"
import * as ConfigArchive from "./ConfigArchive.js"
import * as Containers from "./Containers.js"
import { configVolume, CONFIGS_DIR, managedLabels } from "./ContainerSpec.js"
import type { DockerOptions } from "./DockerConfig.js"
import { call, type DockerError, type ImageUnavailable, isAbsent } from "./DockerError.js"
import { ensurePresent } from "./ImagePull.js"

type HelperOptions = Pick<DockerOptions, "helperImage" | "imagePlatform" | "fileOwner">

const withHelper = <A, E>(
  docker: Docker,
  options: HelperOptions,
  volume: string,
  access: "ro" | "rw",
  use: (helper: Docker.Container) => Effect.Effect<A, E>
): Effect.Effect<A, E | DockerError | ImageUnavailable> =>
  Effect.acquireUseRelease(
    ensurePresent(docker, options.helperImage, options.imagePlatform).pipe(
      Effect.zipRight(Containers.create(docker, {
        Image: options.helperImage,
        // Never run; set so an image without a CMD can still be created.
        Cmd: ["true"],
        NetworkDisabled: true,
        HostConfig: { Binds: [`${volume}:${CONFIGS_DIR}${access === "ro" ? ":ro" : ""}`], NetworkMode: "none" }
      }, { platform: options.imagePlatform }))
    ),
    use,
    (helper) =>
      Containers.forceRemove(docker, helper.id).pipe(
        Effect.catchAll((error) => Effect.logWarning(`Provisioner: helper container ${helper.id} not removed: ${error.message}`))
      )
  )

/** The stat header of the archive API: the path's name, size and Go `FileMode` bits. */
const statOf = (response: unknown): { readonly mode: number } | undefined => {
  const headers = typeof response === "object" && response !== null && "headers" in response ? response.headers : undefined
  const encoded = typeof headers === "object" && headers !== null && "x-docker-container-path-stat" in headers
    ? headers["x-docker-container-path-stat"]
    : undefined
  if (typeof encoded !== "string") return undefined
  const stat: unknown = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"))
  return typeof stat === "object" && stat !== null && "mode" in stat && typeof stat.mode === "number"
    ? { mode: stat.mode }
    : undefined
}

/** Go's `os.ModeDir`. */
const MODE_DIR = 2 ** 31

/** Whether the config volume holds `file` (relative to `/configs`) that is not a directory; no volume → false. */
export const volumeHasFile = (
  docker: Docker,
  options: HelperOptions,
  id: string,
  file: string
): Effect.Effect<boolean, DockerError | ImageUnavailable> =>
  Effect.gen(function* () {
    const volume = configVolume(id)
    if (!(yield* Containers.volumeExists(docker, volume))) return false
    return yield* withHelper(docker, options, volume, "ro", (helper) =>
      call(`stat ${CONFIGS_DIR}/${file} in volume ${volume}`, async (signal): Promise<unknown> => {
        const response: unknown = await helper.infoArchive({ path: `${CONFIGS_DIR}/${file}`, abortSignal: signal })
        // The answer is a HEAD response: drained, so its connection is released.
        if (response instanceof Readable) response.resume()
        return response
      }).pipe(
        Effect.map((response) => {
          const stat = statOf(response)
          return stat !== undefined && stat.mode < MODE_DIR
        }),
        // The helper exists while we hold it, so a 404 here is the path that is missing.
        Effect.catchIf(isAbsent, () => Effect.succeed(false))
      )
    )
  })

/** Writes `/configs/.auth_token` (mode 0600, workspace user) into the config volume, creating the volume first. */
export const writeAuthToken = (
  docker: Docker,
  options: HelperOptions,
  id: string,
  token: string
): Effect.Effect<void, DockerError | ImageUnavailable | ConfigArchive.ArchiveError> =>
  Effect.gen(function* () {
    const volume = configVolume(id)
    yield* Containers.createVolume(docker, volume, managedLabels)
    const archive = yield* ConfigArchive.fromFiles({ ".auth_token": token }, options.fileOwner)
    yield* withHelper(docker, options, volume, "rw", (helper) =>
      call(`write ${CONFIGS_DIR}/.auth_token in volume ${volume}`, (signal) =>
        helper.putArchive(archive, { path: CONFIGS_DIR, abortSignal: signal })
      )
    )
  })
