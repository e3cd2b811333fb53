/**
 * A scripted, in-memory backend implementing the `Provisioner` port and the capabilities of its kind, for behaviours a real engine cannot produce on
 * demand (a stop that takes 10 s, fails twice, always answers 503; a start that dies). It keeps an engine's
 * observable state — containers, volumes and their files, CP machines — and tests assert on that state. Like the
 * real Docker adapter's contract, a start expects `.auth_token` on the config volume already: it fails unless the
 * volume holds the token handed over in the config files and that token is live.
 */
import type { ManagedWorkload, StartSpec, WorkloadRef, WorkspaceId } from "@berth/core"
import { ContainerVolumes, Errors, MachineConsole, ManagedContainers, Provisioner, TokenRepository } from "@berth/core"
import { Context, Effect, Layer, Option, Ref } from "effect"

export interface Container {
  readonly running: boolean
  /** Which start made it: 1 for the first start of this engine, 2 for the next… */
  readonly generation: number
  /** The spec it was started with. */
  readonly spec: StartSpec | null
}

export interface Volume {
  readonly files: Readonly<Record<string, string>>
  /** How many times the claude-sessions volume was removed (restart with reset). */
  readonly sessionResets: number
}

export interface EngineState {
  /** By container name (`ws-<id>`, or any name a test plants). */
  readonly containers: ReadonlyMap<string, Container>
  /** Config volumes by what follows `ws-` in their container's name: the workspace id (or a legacy 12-char prefix). */
  readonly volumes: ReadonlyMap<string, Volume>
  /** CP machines: instance id → workspace id. */
  readonly machines: ReadonlyMap<string, string>
  readonly starts: number
}

/** Per-test behaviour; each hook runs before the engine applies the operation and may sleep, fail or die. */
export interface Script {
  /** `docker`: provisioner and container capabilities; `cp`: provisioner and machine console; `none`: external-only mode, no port at all. */
  readonly kind: "docker" | "cp" | "none"
  readonly beforeStart?: (spec: StartSpec) => Effect.Effect<void, Errors.ProvisionFailed>
  /** `attempt` counts the stops of that workspace, from 1. */
  readonly beforeStop?: (ref: WorkloadRef, attempt: number) => Effect.Effect<void, Errors.ProvisionFailed>
  /** Before the orphan sweeper's removal of the container `name`; a failure keeps container and volume. */
  readonly beforeRemoveManaged?: (name: string) => Effect.Effect<void, Errors.ProvisionFailed>
}

export const emptyState: EngineState = { containers: new Map(), volumes: new Map(), machines: new Map(), starts: 0 }

export const failure = (operation: string, id: string, status: number) =>
  new Errors.ProvisionFailed({ operation, workspaceId: id, message: `scripted ${operation} failure (${status})`, status, retryable: true })

const emptyVolume: Volume = { files: {}, sessionResets: 0 }

const withVolume = (state: EngineState, id: string, f: (v: Volume) => Volume): EngineState => ({
  ...state,
  volumes: new Map(state.volumes).set(id, f(state.volumes.get(id) ?? emptyVolume))
})

/** The engine and a `Provisioner` over it. Needs the token repository to tell a live token from a revoked one. */
export const make = (script: Script) =>
  Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const state = yield* Ref.make(emptyState)
    const stopAttempts = yield* Ref.make(new Map<string, number>())
    const update = (f: (s: EngineState) => EngineState) => Ref.update(state, f)
    const name = (id: string) => `ws-${id}`

    const start = (spec: StartSpec) =>
      Effect.gen(function* () {
        if (script.beforeStart !== undefined) yield* script.beforeStart(spec)
        if (script.kind === "docker") {
          const onVolume = (yield* Ref.get(state)).volumes.get(spec.id)?.files[".auth_token"]
          const handed = spec.configFiles[".auth_token"]
          const live = handed !== undefined && (yield* Effect.orDie(tokens.validate(spec.id, handed)))
          if (onVolume === undefined || onVolume !== handed || !live) {
            return yield* Effect.fail(failure("start: no live .auth_token on the config volume", spec.id, 400))
          }
        }
        return yield* Ref.modify(state, (s) => {
          const generation = s.starts + 1
          const reset = withVolume(s, spec.id, (v) => ({
            files: { ...v.files, ...spec.configFiles },
            sessionResets: v.sessionResets + (spec.resetSession ? 1 : 0)
          }))
          const next: EngineState = {
            ...reset,
            starts: generation,
            containers: script.kind === "docker"
              ? new Map(reset.containers).set(name(spec.id), { running: true, generation, spec })
              : reset.containers,
            machines: script.kind === "cp" ? new Map(reset.machines).set(`i-${generation}`, spec.id) : reset.machines
          }
          const result = script.kind === "docker"
            ? { url: `http://127.0.0.1:${20000 + generation}`, instanceId: null }
            : { url: null, instanceId: `i-${generation}` }
          return [result, next] as const
        })
      })

    const stop = (ref: WorkloadRef) =>
      Effect.gen(function* () {
        const attempts = yield* Ref.updateAndGet(stopAttempts, (m) => new Map(m).set(ref.id, (m.get(ref.id) ?? 0) + 1))
        if (script.beforeStop !== undefined) yield* script.beforeStop(ref, attempts.get(ref.id) ?? 1)
        yield* update((s) => {
          const containers = new Map(s.containers)
          containers.delete(name(ref.id))
          const machines = new Map(s.machines)
          if (ref.instanceId !== null) machines.delete(ref.instanceId)
          return { ...s, containers, machines }
        })
      })

    const removeManaged = (container: string) =>
      Effect.gen(function* () {
        if (script.beforeRemoveManaged !== undefined) yield* script.beforeRemoveManaged(container)
        yield* update((s) => {
          const containers = new Map(s.containers)
          containers.delete(container)
          const volumes = new Map(s.volumes)
          volumes.delete(container.replace(/^ws-/, ""))
          return { ...s, containers, volumes }
        })
      })

    const provisioner = Provisioner.of({
      start,
      stop,
      isRunning: (ref) => Effect.map(Ref.get(state), (s) => s.containers.get(name(ref.id))?.running === true)
    })
    const volumes = ContainerVolumes.of({
      execRead: (id) => Effect.fail(failure("execRead", id, 501)),
      removeVolume: (id) =>
        update((s) => {
          const volumes = new Map(s.volumes)
          volumes.delete(id)
          return { ...s, volumes }
        }),
      volumeHasFile: (id, file) => Effect.map(Ref.get(state), (s) => s.volumes.get(id)?.files[file] !== undefined),
      writeAuthTokenToVolume: (id, token) =>
        update((s) => withVolume(s, id, (v) => ({ ...v, files: { ...v.files, ".auth_token": token } }))),
      removeWorkspaceData: () => Effect.void
    })
    const containers = ManagedContainers.of({
      listManaged: Effect.map(Ref.get(state), (s): ReadonlyArray<ManagedWorkload> =>
        [...s.containers].map(([n, c]) => ({ name: n, running: c.running }))),
      removeManaged,
      locateContainer: (id) => Effect.fail(failure("locateContainer", id, 501))
    })
    const machineConsole = MachineConsole.of({ consoleOutput: (ref) => Effect.succeed(`console of ${ref.instanceId}`) })

    /** The ports of the scripted backend, as its real layer would provide them (none at all in external-only mode). */
    const layer: Layer.Layer<never> = script.kind === "docker"
      ? Layer.succeedContext(Context.make(Provisioner, provisioner).pipe(
        Context.add(ContainerVolumes, volumes), Context.add(ManagedContainers, containers)))
      : script.kind === "cp"
      ? Layer.succeedContext(Context.make(Provisioner, provisioner).pipe(Context.add(MachineConsole, machineConsole)))
      : Layer.empty

    return {
      provisioner,
      containers,
      layer,
      state: Ref.get(state),
      /** Plants a container or volume, as if left by an earlier Berth (or a wiped database). */
      plant: update,
      container: (id: WorkspaceId.WorkspaceId) => Effect.map(Ref.get(state), (s) => Option.fromNullable(s.containers.get(name(id))))
    }
  })

export type Engine = Effect.Effect.Success<ReturnType<typeof make>>
