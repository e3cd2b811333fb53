/**
 * Image presence and the pull policy (contract §8.2 step 6, §9.5).
 *
 * A workspace image is pulled when it is absent locally or its tag is moving (core's `ImageRef` decides); digests and
 * pinned tags present locally are never pulled. A failed pull falls back to the local image with a warning, and fails
 * with `ImageUnavailable` when there is none. The helper image is only pulled when absent: it is a utility, not a
 * workload that must track its tag.
 */
import { ImageRef } from "@berth/core"
import type Docker from "dockerode"
import { Effect, Either, Option } from "effect"
import { call, dial, DockerError, ImageUnavailable, whenAbsent } from "./DockerError.js"

/** The local image for `ref`, or none when the engine has no such image. */
export const inspectImage = (docker: Docker, ref: string): Effect.Effect<Option.Option<Docker.ImageInspectInfo>, DockerError> =>
  whenAbsent(
    call(`inspect image ${ref}`, async (signal) => {
      const info = await dial(docker, {
        path: `/images/${ref}/json`,
        method: "GET",
        abortSignal: signal,
        statusCodes: { 200: true, 404: "no such image", 500: "server error" }
      })
      return Option.some(info as Docker.ImageInspectInfo)
    }),
    () => Option.none()
  )

/** One progress event of a pull or push stream; errors arrive in-band as `{ error, errorDetail }`. */
interface ProgressEvent {
  readonly error?: string
  readonly errorDetail?: { readonly message?: string }
}

const progressError = (event: ProgressEvent): string | undefined =>
  event.errorDetail?.message ?? (typeof event.error === "string" ? event.error : undefined)

/**
 * Drains a progress stream. `modem.followProgress` calls back without an error even when the stream carried
 * `{ error }` lines ("manifest unknown", "unauthorized"), so the events are scanned and the first error fails.
 */
export const drainProgress = (docker: Docker, stream: NodeJS.ReadableStream): Promise<ReadonlyArray<ProgressEvent>> =>
  new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error, events: Array<ProgressEvent>) => {
      if (error !== null) return reject(error)
      const failure = events.map(progressError).find((message) => message !== undefined)
      return failure === undefined ? resolve(events) : reject(new Error(failure))
    })
  )

/** Pulls `ref` (on `platform` when set) and waits for the pull to finish. */
export const pull = (docker: Docker, ref: string, platform: string | undefined): Effect.Effect<void, DockerError> => {
  const parsed = ImageRef.parse(ref)
  // Without a tag or digest the engine would pull every tag of the repository; the CLI adds `latest` too.
  const tag = parsed.tag === undefined && parsed.digest === undefined ? { tag: "latest" } : {}
  return call(`pull image ${ref}`, async (signal) => {
    const stream = await docker.createImage({ fromImage: ref, ...tag, ...(platform ? { platform } : {}), abortSignal: signal })
    await drainProgress(docker, stream)
  })
}

const shortId = (info: Docker.ImageInspectInfo): string => info.Id.slice(0, 19)

/** The pull policy for a workspace image (§8.2 step 6). */
export const ensureWorkspaceImage = Effect.fn("DockerProvisioner.ensureImage")(function* (
  docker: Docker,
  ref: string,
  platform: string | undefined
) {
  const local = yield* inspectImage(docker, ref)
  if (Option.isSome(local)) {
    if (!ImageRef.isMovingTag(ref)) return
    yield* Effect.logInfo(
      `Provisioner: image ${ref} present locally (ID: ${shortId(local.value)}, created: ${local.value.Created.slice(0, 19)}) but tag is moving — re-pulling to refresh`
    )
  } else {
    yield* Effect.logInfo(`Provisioner: image ${ref} not present locally — pulling`)
  }
  const pulled = yield* Effect.either(pull(docker, ref, platform))
  if (Either.isRight(pulled)) return yield* Effect.logInfo(`Provisioner: pulled ${ref}`)
  if (Option.isNone(local)) return yield* new ImageUnavailable({ ref, cause: pulled.left })
  yield* Effect.logWarning(
    `Provisioner: pull of ${ref} failed (${pulled.left.message}) — using the local image (ID: ${shortId(local.value)})`
  )
})

/** The helper image: pulled only when absent. */
export const ensurePresent = (
  docker: Docker,
  ref: string,
  platform: string | undefined
): Effect.Effect<void, DockerError | ImageUnavailable> =>
  inspectImage(docker, ref).pipe(
    Effect.flatMap(Option.match({
      onSome: () => Effect.void,
      onNone: () => pull(docker, ref, platform).pipe(Effect.mapError((cause) => new ImageUnavailable({ ref, cause })))
    }))
  )
