/**
 * The Docker provisioner (contract §8.2): core's `Provisioner` port on a local Docker engine through dockerode.
 *
 * Errors are decided once, here: every engine failure an operation cannot absorb becomes core's `ProvisionFailed`
 * (`operation` = the port method, `workspaceId`, `message` = `docker: <engine call>: <engine message>`, `status` = the
 * engine's HTTP status, `excerpt` = the engine's message cut to 512 bytes, `retryable` for 5xx and transport faults);
 * a missing image carries the contract's `docker image "<ref>" not found after pull attempt …` message. Nothing is
 * a defect: callers (pipeline, delete, sweepers) log and carry on. Absorbed outcomes: an absent container is a
 * successful stop (and removal) and a not-running `isRunning`; any other `isRunning` failure answers `true` with a
 * warning; an absent volume is a successful removal; a failed sessions-volume removal, config copy or helper cleanup
 * is a warning. `removeManaged` refuses a container without Berth's label (a non-retryable `ProvisionFailed`).
 * It implements `Provisioner`, `ContainerVolumes` and `ManagedContainers` (a machine console is the CP's alone).
 *
 * `make` acquires nothing (dockerode opens a connection per request), so it is not scoped; the helper containers
 * of `volumeHasFile`/`writeAuthTokenToVolume` are scoped to their call.
 */
import type { FoundContainer, ManagedWorkload, StartSpec, WorkloadRef } from "@berth/core"
import { ContainerVolumes, Errors, ManagedContainers, Provisioner } from "@berth/core"
import Docker from "dockerode"
import type { ConfigError } from "effect"
import { Context, Effect, Layer, Option, Schedule } from "effect"
import * as ConfigArchive from "./ConfigArchive.js"
import * as Containers from "./Containers.js"
import {
  CONFIGS_DIR,
  configVolume,
  configVolumeOf,
  containerName,
  createBody,
  internalUrl,
  legacyContainerName,
  MANAGED_LABEL,
  managedLabels,
  namedVolumes,
  publishedPort,
  publishesPort,
  sessionsVolume,
  sessionsVolumeOf,
  workspaceVolume
} from "./ContainerSpec.js"
import * as DockerConfig from "./DockerConfig.js"
import type { DockerOptions } from "./DockerConfig.js"
import { call, type CommandFailed, dial, type DockerError, type ImageUnavailable, NotManaged } from "./DockerError.js"
import * as Exec from "./Exec.js"
import { ensureWorkspaceImage } from "./ImagePull.js"
import * as VolumeHelper from "./VolumeHelper.js"

type AdapterError = DockerError | ImageUnavailable | CommandFailed | NotManaged | ConfigArchive.ArchiveError

const EXCERPT_BYTES = 512

const excerptOf = (text: string): string => Buffer.from(text, "utf8").subarray(0, EXCERPT_BYTES).toString("utf8")

/** The port's error for an adapter failure (see the module doc). */
export const toProvisionFailed = (operation: string, workspaceId: string) => (error: AdapterError): Errors.ProvisionFailed => {
  const common = { operation, workspaceId }
  switch (error._tag) {
    case "DockerError":
      return new Errors.ProvisionFailed({
        ...common,
        message: `docker: ${error.operation}: ${error.message}`,
        ...(error.status !== undefined ? { status: error.status } : {}),
        excerpt: excerptOf(error.message),
        retryable: error.retryable
      })
    case "ImageUnavailable":
      return new Errors.ProvisionFailed({
        ...common,
        message: error.message,
        ...(error.cause.status !== undefined ? { status: error.cause.status } : {}),
        excerpt: excerptOf(error.cause.message),
        retryable: error.cause.retryable
      })
    case "CommandFailed":
      return new Errors.ProvisionFailed({
        ...common,
        message: `docker: ${error.operation}: exit code ${error.exitCode ?? "unknown"}: ${error.message}`,
        excerpt: excerptOf(error.message),
        retryable: false
      })
    case "ArchiveError":
    case "NotManaged":
      return new Errors.ProvisionFailed({ ...common, message: `docker: ${error.message}`, retryable: false })
  }
}

/** The port's error translation plus the `workspace_id` annotation every per-workspace operation logs with. */
const atPort = (operation: string, id: string) => <A, R>(effect: Effect.Effect<A, AdapterError, R>) =>
  effect.pipe(Effect.mapError(toProvisionFailed(operation, id)), Effect.annotateLogs("workspace_id", id))

/** Step 9: up to three inspections, 500 ms apart, until the engine has bound the ephemeral port; yields the last. */
const portPolling = Schedule.identity<Option.Option<string>>().pipe(
  Schedule.zipLeft(Schedule.spaced("500 millis")),
  Schedule.zipLeft(Schedule.recurs(2))
)

/** Builds the provisioner on the engine at `options.socketPath`. */
/** Everything the Docker backend does: the common `Provisioner` and both container capabilities. */
export type DockerBackend = Provisioner["Type"] & ContainerVolumes["Type"] & ManagedContainers["Type"]

export const make = (options: DockerOptions): Effect.Effect<DockerBackend> =>
  Effect.sync(() => {
    const docker = new Docker({ socketPath: options.socketPath })
    const owner = options.fileOwner

    const copyIntoConfigs = (container: Docker.Container, what: string, archive: Effect.Effect<Buffer, ConfigArchive.ArchiveError>) =>
      archive.pipe(
        Effect.flatMap((tar) =>
          call(`copy ${what} into ${CONFIGS_DIR}`, (signal) => container.putArchive(tar, { path: CONFIGS_DIR, abortSignal: signal }))
        ),
        Effect.catchAll((error) => Effect.logWarning(`Provisioner: failed to copy ${what} into ${CONFIGS_DIR}: ${error.message}`))
      )

    const resolveUrl = (spec: StartSpec, container: Docker.Container): Effect.Effect<string> => {
      if (!publishesPort(spec, options.network)) return Effect.succeed(internalUrl(spec.id))
      return Containers.inspect(docker, container.id).pipe(
        Effect.map(Option.flatMap((info) => Option.fromNullable(publishedPort(info)))),
        Effect.repeat({ schedule: portPolling, until: Option.isSome }),
        Effect.catchAll((error) => Effect.logWarning(`Provisioner: ${error.message}`).pipe(Effect.as(Option.none<string>()))),
        Effect.map(Option.match({ onNone: () => internalUrl(spec.id), onSome: (port) => `http://127.0.0.1:${port}` }))
      )
    }

    /** The sessions volume can only go once no container holds it, so the old container goes first. */
    const resetSessions = (spec: StartSpec) =>
      Containers.forceRemove(docker, containerName(spec.id)).pipe(
        Effect.zipRight(Containers.removeVolume(docker, sessionsVolume(spec.id))),
        Effect.tap(() => Effect.logInfo(`Provisioner: claude-sessions volume ${sessionsVolume(spec.id)} reset`)),
        Effect.catchAll((error) => Effect.logWarning(`Provisioner: claude-sessions volume reset failed: ${error.message}`))
      )

    const startWith = (spec: StartSpec, image: string) =>
      Effect.gen(function* () {
        const name = containerName(spec.id)
        if (spec.resetSession) yield* resetSessions(spec)
        for (const volume of namedVolumes(spec)) yield* Containers.createVolume(docker, volume, managedLabels)
        const body = createBody(spec, image, options)
        yield* Containers.forceRemove(docker, name)
        yield* ensureWorkspaceImage(docker, image, options.imagePlatform)
        const container = yield* Containers.create(docker, body, { name, platform: options.imagePlatform })
        yield* call(`start container ${name}`, (signal) => container.start({ abortSignal: signal })).pipe(
          Effect.tapError(() =>
            Containers.forceRemove(docker, container.id).pipe(
              Effect.catchAll((error) => Effect.logWarning(`Provisioner: ${error.message}`))
            )
          )
        )
        if (spec.templateDir !== null && spec.templateDir !== "") {
          yield* copyIntoConfigs(container, `template ${spec.templateDir}`, ConfigArchive.fromDirectory(spec.templateDir, owner))
        }
        if (Object.keys(spec.configFiles).length > 0) {
          yield* copyIntoConfigs(container, "config files", ConfigArchive.fromFiles(spec.configFiles, owner))
        }
        const url = yield* resolveUrl(spec, container)
        yield* Effect.logInfo(`Provisioner: started container ${name} for workspace ${spec.id} at ${url}`)
        return { url, instanceId: null }
      }).pipe(Effect.annotateLogs("image", image))

    const start = Effect.fn("DockerProvisioner.start")(
      function* (spec: StartSpec) {
        return yield* startWith(spec, yield* options.imageFor(spec.runtime))
      },
      (effect, spec) => atPort("start", spec.id)(effect)
    )

    const stop = Effect.fn("DockerProvisioner.stop")(
      function* (ref: WorkloadRef) {
        yield* Containers.forceRemove(docker, containerName(ref.id))
        yield* Effect.logInfo(`Provisioner: stopped and removed container ${containerName(ref.id)}`)
      },
      (effect, ref) => atPort("stop", ref.id)(effect)
    )

    const isRunning = Effect.fn("DockerProvisioner.isRunning")(
      function* (ref: WorkloadRef) {
        const info = yield* Containers.inspect(docker, containerName(ref.id))
        return Option.match(info, { onNone: () => false, onSome: (i) => i.State.Running })
      },
      // Not knowing is not "gone": callers must never tear a workspace down on an engine hiccup.
      (effect, ref) =>
        effect.pipe(
          Effect.catchAll((error) =>
            Effect.logWarning(`Provisioner: IsRunning could not tell (${error.message}) — answering running`).pipe(Effect.as(true))
          ),
          Effect.annotateLogs("workspace_id", ref.id)
        )
    )

    /** The config volume (its failure is the caller's) and the claude-sessions volume (a warning) of container `name`. */
    const removeVolumesOf = (name: string) =>
      Containers.removeVolume(docker, configVolumeOf(name)).pipe(
        Effect.zipRight(Containers.removeVolume(docker, sessionsVolumeOf(name)).pipe(
          Effect.catchAll((error) => Effect.logWarning(`Provisioner: claude-sessions volume cleanup: ${error.message}`))
        ))
      )

    const removeVolume = Effect.fn("DockerProvisioner.removeVolume")(
      function* (id: string) {
        yield* removeVolumesOf(containerName(id))
      },
      (effect, id) => atPort("removeVolume", id)(effect)
    )

    const removeWorkspaceData = Effect.fn("DockerProvisioner.removeWorkspaceData")(
      function* (id: string) {
        yield* Containers.removeVolume(docker, workspaceVolume(id))
      },
      (effect, id) => atPort("removeWorkspaceData", id)(effect)
    )

    // Removed by the id the inspection found, so a container created under the name meanwhile is not hit unchecked.
    const removeManaged = Effect.fn("DockerProvisioner.removeManaged")(
      function* (name: string) {
        const info = yield* Containers.inspect(docker, name)
        if (Option.isSome(info)) {
          if (info.value.Config.Labels?.[MANAGED_LABEL] !== "true") {
            return yield* Effect.fail(new NotManaged({ name, label: `${MANAGED_LABEL}=true` }))
          }
          yield* Containers.forceRemove(docker, info.value.Id)
        }
        yield* removeVolumesOf(name)
        yield* Effect.logInfo(`Provisioner: removed managed container ${name} and its volumes`)
      },
      (effect, name) =>
        effect.pipe(Effect.mapError(toProvisionFailed("removeManaged", "")), Effect.annotateLogs("container", name))
    )

    const listManaged = call("list managed containers", (signal) =>
      docker.listContainers({ all: true, filters: { label: [`${MANAGED_LABEL}=true`] }, abortSignal: signal })
    ).pipe(
      Effect.map((containers) =>
        containers.map((c): ManagedWorkload => ({ name: (c.Names[0] ?? "").replace(/^\//, ""), running: c.State === "running" }))
      ),
      Effect.mapError(toProvisionFailed("listManaged", "")),
      Effect.withSpan("DockerProvisioner.listManaged")
    )

    const locateContainer = Effect.fn("DockerProvisioner.locateContainer")(
      function* (id: string) {
        const tried: Array<string> = []
        for (const name of [containerName(id), legacyContainerName(id)]) {
          tried.push(name)
          const info = yield* Containers.inspect(docker, name)
          if (Option.isSome(info)) {
            const found: FoundContainer = { name, running: info.value.State.Running, state: info.value.State.Status }
            return { tried, found: Option.some(found) }
          }
        }
        return { tried, found: Option.none<FoundContainer>() }
      },
      (effect, id) => atPort("locateContainer", id)(effect)
    )

    const backend: DockerBackend = {
      start,
      stop,
      isRunning,
      execRead: (id, path) =>
        Exec.readFile(docker, containerName(id), path).pipe(atPort("execRead", id), Effect.withSpan("DockerProvisioner.execRead")),
      removeVolume,
      volumeHasFile: (id, file) =>
        VolumeHelper.volumeHasFile(docker, options, id, file).pipe(
          atPort("volumeHasFile", id),
          Effect.withSpan("DockerProvisioner.volumeHasFile")
        ),
      writeAuthTokenToVolume: (id, token) =>
        VolumeHelper.writeAuthToken(docker, options, id, token).pipe(
          Effect.tap(() => Effect.logInfo(`Provisioner: wrote auth token to volume ${configVolume(id)}`)),
          atPort("writeAuthTokenToVolume", id),
          Effect.withSpan("DockerProvisioner.writeAuthTokenToVolume")
        ),
      listManaged,
      removeManaged,
      removeWorkspaceData,
      locateContainer
    }
    return backend
  })

/** The Docker provisioner as the `Provisioner` layer, with the container capabilities it has. */
export const layer = (options: DockerOptions): Layer.Layer<Provisioner | ContainerVolumes | ManagedContainers> =>
  Layer.effectContext(Effect.map(make(options), (docker) =>
    Context.make(Provisioner, docker).pipe(Context.add(ContainerVolumes, docker), Context.add(ManagedContainers, docker))))

/** The Docker provisioner configured from the environment (`DockerConfig.load`). */
export const layerConfig = Layer.unwrapEffect(Effect.map(DockerConfig.load, layer))

/** Whether an engine answers a ping on `socketPath` within 5 s (§1: self-hosted mode needs one at start). */
export const ping = (socketPath: string): Effect.Effect<boolean> =>
  call(`ping ${socketPath}`, (signal) =>
    dial(new Docker({ socketPath }), { path: "/_ping", method: "GET", abortSignal: signal, statusCodes: { 200: true, 500: "server error" } })
  ).pipe(
    Effect.timeout("5 seconds"),
    Effect.as(true),
    Effect.catchAll((error) => Effect.logInfo(`Docker engine at ${socketPath} did not answer a ping: ${error.message}`).pipe(Effect.as(false)))
  )

/** `ping` on the configured socket (`DOCKER_HOST`), for the start-up backend choice; logs no config warnings. */
export const pingConfigured: Effect.Effect<boolean, ConfigError.ConfigError> = Effect.flatMap(
  DockerConfig.DockerConfig,
  ({ options }) => ping(options.socketPath)
)
