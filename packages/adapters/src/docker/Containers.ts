/**
 * The container and volume calls shared by the provisioner and its helper containers, each through `call`.
 */
import type Docker from "dockerode"
import { Effect, Option } from "effect"
import { call, type DockerError, whenAbsent } from "./DockerError.js"

/**
 * Creates a container. `name` and `platform` travel in the query and the body alone in the request body:
 * dockerode would otherwise copy the whole body, environment included, into the URL.
 */
export const create = (
  docker: Docker,
  body: Docker.ContainerCreateOptions,
  query: { readonly name?: string; readonly platform?: string | undefined }
): Effect.Effect<Docker.Container, DockerError> => {
  const params = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined))
  return call(`create container ${query.name ?? body.Image}`, (signal) => {
    const options: Docker.ContainerCreateOptions & { _query: object; _body: object } = {
      _query: params,
      _body: body,
      abortSignal: signal
    }
    return docker.createContainer(options)
  })
}

/** Kills and removes a container in one step (no restart-policy race); an absent container is success. */
export const forceRemove = (docker: Docker, nameOrId: string): Effect.Effect<void, DockerError> =>
  whenAbsent(
    call(`remove container ${nameOrId}`, (signal) => docker.getContainer(nameOrId).remove({ force: true, abortSignal: signal })),
    () => undefined
  ).pipe(Effect.asVoid)

/** The container by name or id, or none when the engine has no such container. */
export const inspect = (docker: Docker, nameOrId: string): Effect.Effect<Option.Option<Docker.ContainerInspectInfo>, DockerError> =>
  whenAbsent(
    call(`inspect container ${nameOrId}`, (signal) => docker.getContainer(nameOrId).inspect({ abortSignal: signal })).pipe(
      Effect.map(Option.some)
    ),
    () => Option.none()
  )

/** Creates a volume carrying `labels`; creating an existing volume returns it unchanged (idempotent). */
export const createVolume = (
  docker: Docker,
  name: string,
  labels: Readonly<Record<string, string>>
): Effect.Effect<void, DockerError> =>
  call(`create volume ${name}`, (signal) => docker.createVolume({ Name: name, Labels: { ...labels }, abortSignal: signal })).pipe(
    Effect.asVoid
  )

/** Whether a volume exists (a bind of an absent volume would create it). */
export const volumeExists = (docker: Docker, name: string): Effect.Effect<boolean, DockerError> =>
  whenAbsent(
    call(`inspect volume ${name}`, (signal) => docker.getVolume(name).inspect({ abortSignal: signal })).pipe(Effect.as(true)),
    () => false
  )

/** Removes a volume; an absent volume is success, one still mounted by a container fails (409). */
export const removeVolume = (docker: Docker, name: string): Effect.Effect<void, DockerError> =>
  whenAbsent(
    call(`remove volume ${name}`, (signal) => docker.getVolume(name).remove({ force: true, abortSignal: signal })),
    () => undefined
  ).pipe(Effect.asVoid)
