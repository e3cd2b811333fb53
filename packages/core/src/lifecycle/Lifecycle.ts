/**
 * The workspace lifecycle layer: `WorkspaceLifecycle` (create's provision, manual restarts, delete's stops) and
 * `AutoRestart`, built together over one set of workspace lanes so that every provisioner conversation about a
 * workspace is serialized and coalesced (§5.6). All background fibers belong to the layer's scope: detached from the
 * requests that start them, interrupted when the layer closes.
 */
import type { Scope } from "effect"
import { Context, Duration, Effect, Fiber, FiberSet, Layer, Option } from "effect"
import { AutoRestart } from "./AutoRestart.js"
import { describeError } from "./CpStopRetry.js"
import { ContainerVolumes } from "../ports/ContainerVolumes.js"
import { Provisioner } from "../ports/Provisioner.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import * as ProvisionPipeline from "./ProvisionPipeline.js"
import { EXTERNAL } from "../domain/Runtime.js"
import * as WorkspaceLanes from "./WorkspaceLanes.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { ConfigSource, RemovedWorkload, StopFailure } from "./WorkspaceLifecycle.js"
import { WorkspaceLifecycle } from "./WorkspaceLifecycle.js"
import * as WorkspaceRestart from "./WorkspaceRestart.js"

/** §5.5 rule 4: each delete stop has its own deadline. */
export const STOP_DEADLINE = Duration.seconds(30)

/**
 * What the layer needs: persistence, the event bus, the caches and templates. The backend chosen at start is read
 * optionally: no `Provisioner` is external-only mode (§1), `ContainerVolumes` comes with containers.
 */
export type Services = Exclude<WorkspaceRestart.RestartServices, ProvisionPipeline.ProvisionSettings>

/** What `make` builds: both services, plus a wait for all background work (tests). */
export interface Built {
  readonly lifecycle: WorkspaceLifecycle["Type"]
  readonly autoRestart: AutoRestart["Type"]
  /** Waits until no lane runs and no delete stop is in flight. */
  readonly awaitIdle: Effect.Effect<void>
}

/** The client-safe text of a failed delete stop (§5.5 rule 6); details are logged. */
const stopFailureText = (id: string, error: unknown): string => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    if (error._tag === "TimeoutException") return `${id}: stop timed out after ${Duration.format(STOP_DEADLINE)}`
    if (error._tag === "ProvisionFailed" && "status" in error && typeof error.status === "number") {
      return `${id}: stop failed (HTTP ${error.status})`
    }
  }
  return `${id}: stop failed`
}

/** Builds the services in the current scope. */
export const make: Effect.Effect<Built, never, Scope.Scope | Services> = Effect.gen(
  function* () {
    const context = yield* Effect.context<Services>()
    const backend = yield* Effect.serviceOption(Provisioner)
    const volumes = yield* Effect.serviceOption(ContainerVolumes)
    const store = yield* WorkspaceStore
    const lanes = yield* WorkspaceLanes.make(WorkspaceRestart.laneCycle, WorkspaceRestart.mergeJobs)
    const stops = yield* FiberSet.make<Option.Option<StopFailure>>()

    const provisionInBackground = (id: WorkspaceId, config: ConfigSource) =>
      Option.isNone(backend)
        ? Effect.provide(ProvisionPipeline.markProvisionFailed(id, ProvisionPipeline.NO_BACKEND_REASON, "no_backend"), context)
        : lanes.request(id, { _tag: "Provision", config })

    /** One delete stop (§5.5 rule 4): no retry; a container's volumes are removed next, a machine's `instance_id` cleared. */
    const stopOne = (provisioner: Provisioner["Type"], w: RemovedWorkload): Effect.Effect<Option.Option<StopFailure>> =>
      Effect.gen(function* () {
        const stopped = yield* Effect.either(Effect.timeout(provisioner.stop({ id: w.id, instanceId: w.instanceId }), STOP_DEADLINE))
        if (stopped._tag === "Left") {
          yield* Effect.logError(`Delete: stopping workspace ${w.id} failed: ${describeError(stopped.left)}`)
          return Option.some({ id: w.id, error: stopFailureText(w.id, stopped.left) })
        }
        if (Option.isSome(volumes)) {
          yield* volumes.value.removeVolume(w.id).pipe(
            Effect.catchAll((e) => Effect.logWarning(`Delete: removing the volumes of ${w.id} failed`, e))
          )
        } else {
          yield* store.setInstanceId(w.id, null).pipe(
            Effect.catchAll((e) => Effect.logWarning(`Delete: clearing instance_id of ${w.id} failed`, e))
          )
        }
        return Option.none()
      }).pipe(Effect.annotateLogs("workspace_id", w.id))

    const stopRemoved = (workloads: ReadonlyArray<RemovedWorkload>) =>
      Effect.gen(function* () {
        const targets = workloads.filter((w) => w.runtime !== EXTERNAL)
        // A cycle still running for a removed workspace could start it again after the stop.
        yield* Effect.forEach(targets, (w) => lanes.cancel(w.id), { discard: true })
        // Without a backend no workload was ever started: there is nothing to stop, and nothing a retry could fix.
        if (Option.isNone(backend)) return []
        const provisioner = backend.value
        // Each stop runs in the layer's scope: a client hanging up does not cancel it.
        const fibers = yield* Effect.forEach(targets, (w) => FiberSet.run(stops, stopOne(provisioner, w)))
        const outcomes = yield* Effect.forEach(fibers, Fiber.join)
        return outcomes.flatMap((o) => Option.toArray(o))
      })

    const autoRestart = AutoRestart.of({
      request: (id, source) =>
        Option.isNone(backend)
          ? Effect.logInfo(`Auto-restart: ${id} skipped (no provisioning backend)`).pipe(Effect.annotateLogs("requested_by", source))
          : lanes.request(id, { _tag: "AutoRestart" })
    })

    const lifecycle = WorkspaceLifecycle.of({
      provisionInBackground,
      restartInBackground: (id, options) =>
        lanes.request(id, { _tag: "Restart", config: options.config, resetSession: options.resetSession }),
      stopRemoved,
      cancel: lanes.cancel
    })

    return { lifecycle, autoRestart, awaitIdle: Effect.zipRight(lanes.awaitIdle, FiberSet.awaitEmpty(stops)) }
  }
)

/** `WorkspaceLifecycle` and `AutoRestart` over the given services; the platform URL comes from `ProvisionSettings`. */
export const layer: Layer.Layer<WorkspaceLifecycle | AutoRestart, never, Services> = Layer.scopedContext(
  Effect.map(make, (built) => Context.make(WorkspaceLifecycle, built.lifecycle).pipe(Context.add(AutoRestart, built.autoRestart)))
)
