/**
 * `createBerth(options)`: Berth for a host that does not use Effect. The same core services `Berth.layer` gives,
 * run in one `ManagedRuntime`, as async functions. A use case's failure rejects with core's own error (a class from
 * `Errors`: `err instanceof Errors.WorkspaceNotFound`); a fault no caller can act on rejects with `BerthDefect`.
 * `events.subscribe` delivers every event published after it resolves; `close()` stops the loops and the database.
 */
import type {
  CreateRequest, DeliveryModeValue, Events, Registered, SecretInfo, Workspace, WorkspaceRemoval, WorkspaceUpdate,
  WorkspaceView
} from "@berth/core"
import type { RestartOptions, RestartOutcome } from "@berth/core"
import { EventBus, Hibernation, Registry, Restart, Secrets, Tokens, WorkspaceId, Workspaces } from "@berth/core"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, ManagedRuntime, Option, Stream } from "effect"
import * as Logging from "../Logging.js"
import * as Berth from "./Berth.js"

export interface Options extends Berth.Config {
  /** The logger (a `Logger` layer); default `berth serve`'s (`BERTH_LOG_FORMAT`, `BERTH_LOG_LEVEL`). */
  readonly logger?: Layer.Layer<never>
}

/** A fault Berth could not turn into one of its errors (a database gone, a bug); `cause` is Effect's report. */
export class BerthDefect extends Error {
  override readonly name = "BerthDefect"
  constructor(override readonly cause: string) {
    super(`berth: ${cause.split("\n")[0]}`)
  }
}

/** Rejects with the typed failure itself, so a host can `instanceof`-check it; anything else as `BerthDefect`. */
const settle = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) throw failure.value
  throw new BerthDefect(Cause.pretty(exit.cause))
}

export interface CreateOptions {
  /** `Idempotency-Key`: a retry with the same key and request answers the first create. */
  readonly idempotencyKey?: string
  /** Where an external agent registers (the connection block); default `provision.platformUrl`. */
  readonly platformUrl?: string
}

export interface RegisterInput {
  readonly id: string
  readonly agentCard: unknown
  readonly url?: string
  readonly deliveryMode?: DeliveryModeValue
  /** The workspace token the agent holds (the create answer's `token`). */
  readonly token?: string
}

export interface HeartbeatInput {
  readonly id: string
  readonly token?: string
  readonly errorRate?: number
  readonly sampleError?: string
  readonly activeTasks?: number
  readonly uptimeSeconds?: number
  readonly currentTask?: string
  readonly runtimeState?: string
}

export interface BerthApp {
  readonly workspaces: {
    readonly create: (request: CreateRequest.CreateRequest, options?: CreateOptions) => Promise<CreateRequest.Created>
    readonly get: (id: string, options?: { readonly includeRemoved?: boolean }) => Promise<WorkspaceView>
    readonly list: () => Promise<ReadonlyArray<WorkspaceView>>
    readonly remove: (id: string, options?: { readonly confirm?: boolean; readonly purge?: boolean }) => Promise<WorkspaceRemoval.Removed>
    /** §5.6: stops and re-provisions in the background (nothing for an external workspace). */
    readonly restart: (id: string, options?: Partial<RestartOptions>) => Promise<RestartOutcome>
    /** §5.4.1: the fields named change, each checked as create checks it. */
    readonly update: (id: string, request: WorkspaceUpdate.UpdateRequest) => Promise<WorkspaceUpdate.Updated>
    /** §5.12 `GET …/state`: the status an agent polls. */
    readonly state: (id: string) => Promise<{ readonly id: string; readonly status: string }>
    /** §2.4: pause (cascading), resume (re-provisions, or wakes a hibernated workspace), hibernate. */
    readonly pause: (id: string) => Promise<{ readonly count: number }>
    readonly resume: (id: string) => Promise<{ readonly count: number }>
    readonly hibernate: (id: string, options?: { readonly force?: boolean }) => Promise<unknown>
  }
  readonly secrets: {
    /** §5.8: a workspace's secrets (no values) and the global ones; save and remove. */
    readonly list: (id: string) => Promise<ReadonlyArray<SecretInfo>>
    readonly save: (id: string, key: string, value: string) => Promise<void>
    readonly remove: (id: string, key: string) => Promise<void>
    readonly listGlobal: () => Promise<ReadonlyArray<SecretInfo>>
    readonly saveGlobal: (key: string, value: string) => Promise<void>
    readonly removeGlobal: (key: string) => Promise<void>
  }
  readonly tokens: {
    /** §5.12: a workspace's live tokens, a new one (up to the cap), and revocation. */
    readonly list: (id: string) => Promise<ReadonlyArray<unknown>>
    readonly mint: (id: string) => Promise<{ readonly token: string }>
    readonly revoke: (id: string, tokenId: string) => Promise<void>
  }
  readonly registry: {
    readonly register: (input: RegisterInput) => Promise<Registered>
    readonly heartbeat: (input: HeartbeatInput) => Promise<{ readonly inboundSecret: Option.Option<string> }>
  }
  readonly events: {
    /** Resolves once subscribed; the function it gives ends the subscription. */
    readonly subscribe: (listener: (event: Events.WorkspaceEvent) => void) => Promise<() => Promise<void>>
  }
  /** Stops Berth (loops, subscriptions, database). */
  readonly close: () => Promise<void>
}

/** A `Workspace` as `get` answers it, for hosts that name the type. */
export type { Workspace }

/** Starts Berth; rejects with the start-up error (database, migrations, key) when it cannot. */
export const createBerth = async (options: Options): Promise<BerthApp> => {
  const runtime = ManagedRuntime.make(Berth.layer(options).pipe(Layer.provide(options.logger ?? Logging.layer)))
  const started = await Effect.runPromiseExit(runtime.runtimeEffect)
  if (Exit.isFailure(started)) {
    await runtime.dispose()
    settle(started)
  }
  const run = <A, E>(effect: Effect.Effect<A, E, Berth.Services>): Promise<A> => runtime.runPromiseExit(effect).then(settle)
  const id = (raw: string) => WorkspaceId.parse(raw)
  const bearer = (token: string | undefined) => Option.fromNullable(token)
  const defaultPlatformUrl = options.provision?.platformUrl ?? "http://host.docker.internal:8080"

  return {
    workspaces: {
      create: (request, create = {}) => run(Effect.flatMap(Workspaces, (w) => w.create(request, {
        idempotencyKey: create.idempotencyKey,
        fingerprint: JSON.stringify(request),
        platformUrl: create.platformUrl ?? defaultPlatformUrl
      }))),
      get: (raw, get = {}) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Workspaces, (w) => w.get(i, { includeRemoved: get.includeRemoved ?? false })))),
      list: () => run(Effect.flatMap(Workspaces, (w) => w.list())),
      remove: (raw, remove = {}) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Workspaces, (w) =>
        w.remove(i, { confirm: remove.confirm ?? false, purge: remove.purge ?? false })))),
      restart: (raw, restart = {}) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Restart, (r) => r.restart(i, {
        options: Effect.succeed({ template: restart.template ?? "", reapply: restart.reapply ?? false, reset: restart.reset ?? false }),
        resetQuery: false
      })))),
      update: (raw, request) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Workspaces, (w) => w.update(i, request)))),
      state: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Workspaces, (w) => w.state(i)))),
      pause: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Hibernation, (h) => h.pause(i)))),
      resume: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Hibernation, (h) => h.resume(i)))),
      hibernate: (raw, hibernate = {}) =>
        run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Hibernation, (h) => h.hibernate(i, hibernate.force ?? false))))
    },
    secrets: {
      list: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Secrets, (s) => s.listForWorkspace(i)))),
      save: (raw, key, value) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Secrets, (s) => s.saveForWorkspace(i, key, value)))),
      remove: (raw, key) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Secrets, (s) => s.removeForWorkspace(i, key)))),
      listGlobal: () => run(Effect.flatMap(Secrets, (s) => s.listGlobal())),
      saveGlobal: (key, value) => run(Effect.flatMap(Secrets, (s) => s.saveGlobal(key, value))),
      removeGlobal: (key) => run(Effect.flatMap(Secrets, (s) => s.removeGlobal(key)))
    },
    tokens: {
      list: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Tokens, (t) => t.list(i, 200, 0)))),
      mint: (raw) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Tokens, (t) => t.mint(i)))),
      revoke: (raw, tokenId) => run(Effect.flatMap(id(raw), (i) => Effect.flatMap(Tokens, (t) => t.revoke(i, tokenId))))
    },
    registry: {
      register: (input) => run(Effect.flatMap(id(input.id), (i) => Effect.flatMap(Registry, (r) => r.register({
        id: i,
        agentCard: input.agentCard,
        url: input.url ?? null,
        deliveryMode: Option.fromNullable(input.deliveryMode),
        bearer: bearer(input.token)
      })))),
      heartbeat: (input) => run(Effect.flatMap(id(input.id), (i) => Effect.flatMap(Registry, (r) => r.heartbeat({
        id: i,
        bearer: bearer(input.token),
        errorRate: input.errorRate,
        sampleError: input.sampleError,
        activeTasks: input.activeTasks,
        uptimeSeconds: input.uptimeSeconds,
        currentTask: input.currentTask,
        monthlySpend: undefined,
        runtimeState: input.runtimeState,
        capabilities: undefined
      }))))
    },
    events: {
      subscribe: async (listener) => {
        const ready = await runtime.runPromise(Deferred.make<void>())
        const fiber = runtime.runFork(Effect.scoped(Effect.gen(function* () {
          const stream = yield* (yield* EventBus).subscribe
          yield* Deferred.succeed(ready, undefined)
          yield* Stream.runForEach(stream, (event) => Effect.sync(() => listener(event)))
        })))
        await runtime.runPromise(Deferred.await(ready))
        return () => runtime.runPromise(Fiber.interrupt(fiber)).then(() => undefined)
      }
    },
    close: () => runtime.dispose()
  }
}
