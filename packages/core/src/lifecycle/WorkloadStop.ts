/**
 * Stopping a workload while keeping its volumes, for pause and hibernate (§2.4), and the step every CP stop shares
 * with the restart cycles (§8.4): an exhausted stop is recorded as a leak suspect, a successful one clears
 * `instance_id`. Unlike a restart (§10.5), pause and hibernate answer only after the stop, so this is not a restart
 * module: the CP machine is still stopped only through `cpStopWithRetry`.
 */
import { Effect, Option } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { EXTERNAL } from "../domain/Runtime.js"
import * as Transitions from "../domain/Transitions.js"
import { EventBus } from "../ports/EventBus.js"
import { LeakSuspects } from "../ports/LeakSuspects.js"
import type { Provisioner, WorkloadRef } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { CpStopOutcome } from "./CpStopRetry.js"
import * as CpStopRetry from "./CpStopRetry.js"
import { backendCall } from "./ProvisionPipeline.js"

/** Who stops, in the CP retry log lines and leak records (§8.4). */
export type StopSource = "Restart" | "Auto-restart" | "Pause" | "Hibernate"

/**
 * After a CP stop with the retry: on exhaustion record the old instance id as a leak suspect, on success clear
 * `instance_id`. Run it in the same uninterruptible step as the stop, so a shutdown never loses an exhaustion.
 */
export const settleCpStop = <E>(ref: WorkloadRef, source: StopSource, outcome: CpStopOutcome<E>) =>
  Effect.gen(function* () {
    if (outcome._tag === "Exhausted") {
      yield* (yield* LeakSuspects).record({
        workspaceId: ref.id,
        instanceId: ref.instanceId,
        source,
        lastError: outcome.lastErrorMessage
      }).pipe(Effect.catchAll((e) => Effect.logError(`${source}: recording the leak suspect of ${ref.id} failed`, e)))
    }
    if (outcome._tag === "Succeeded") {
      yield* (yield* WorkspaceStore).setInstanceId(ref.id, null).pipe(
        Effect.catchAll((e) => Effect.logWarning(`${source}: clearing instance_id of ${ref.id} failed`, e))
      )
    }
  })

/** How a workload stop ended: stopped (or nothing was running), or why not. */
export type StopOutcome = { readonly _tag: "Stopped" } | { readonly _tag: "NotStopped"; readonly reason: string }

const stopped: StopOutcome = { _tag: "Stopped" }

/**
 * Stops one workload, keeping its volumes: a container is stopped and removed (its volumes stay); a CP machine
 * (`machines`: the backend has a machine console) is stopped through `cpStopWithRetry`, then settled. External
 * workspaces and the no-backend mode have nothing to stop.
 */
export const stopWorkload = (
  backend: Option.Option<Provisioner["Type"]>,
  machines: boolean,
  ref: WorkloadRef & { readonly runtime: string },
  source: StopSource
) =>
  Effect.gen(function* () {
    if (ref.runtime === EXTERNAL || Option.isNone(backend)) return stopped
    const provisioner = backend.value
    if (machines) {
      const outcome = yield* Effect.uninterruptible(Effect.tap(
        CpStopRetry.cpStopWithRetry(backendCall(provisioner.stop(ref)), { id: ref.id, source }),
        (o) => settleCpStop(ref, source, o)
      ))
      if (outcome._tag === "Succeeded") return stopped
      const reason = outcome._tag === "Exhausted"
        ? `stop failed after ${outcome.attempts} attempts: ${outcome.lastErrorMessage}`
        : "stop interrupted"
      return { _tag: "NotStopped", reason } satisfies StopOutcome
    }
    const result = yield* Effect.either(backendCall(provisioner.stop(ref)))
    if (result._tag === "Right") return stopped
    return { _tag: "NotStopped", reason: `stop failed: ${CpStopRetry.describeError(result.left)}` } satisfies StopOutcome
  })

/** How a claimed hibernation ended. */
export type HibernationEnd =
  | { readonly _tag: "Hibernated" }
  /** The stop failed: the prior status is back, `reason` recorded. */
  | { readonly _tag: "NotStopped"; readonly reason: string }
  /** Something else changed the row during the stop (register, restart, delete): not hibernated. */
  | { readonly _tag: "Changed" }

/** The workspace a hibernation stops. */
export interface Hibernating {
  readonly id: WorkloadRef["id"]
  readonly name: string
  readonly tier: number
  readonly runtime: string
  readonly instanceId: string | null
}

/**
 * After a `hibernating` claim (§2.4): stop the workload, then `hibernated` (`url` and `idle_since` cleared), or the
 * claim's prior status back with the reason in `last_sample_error` and the event. Each write's event is published.
 * One uninterruptible step, so no row is left `hibernating` (the retry's waits stay interruptible).
 */
export const completeHibernation = (
  backend: Option.Option<Provisioner["Type"]>,
  machines: boolean,
  w: Hibernating,
  prior: "online" | "degraded",
  source: "hibernate" | "idle_sweep"
): Effect.Effect<HibernationEnd, DatastoreUnavailable, StatusWrites | EventBus | LeakSuspects | WorkspaceStore> =>
  Effect.uninterruptible(Effect.gen(function* () {
    const statusWrites = yield* StatusWrites
    const bus = yield* EventBus
    const rows = source === "hibernate"
      ? { done: Transitions.hibernated, online: Transitions.hibernateFailedOnline, degraded: Transitions.hibernateFailedDegraded }
      : { done: Transitions.idleHibernated, online: Transitions.idleHibernateFailedOnline, degraded: Transitions.idleHibernateFailedDegraded }
    const outcome = yield* stopWorkload(backend, machines, w, "Hibernate")
    if (outcome._tag === "Stopped") {
      const done = yield* statusWrites.transition({ id: w.id, row: rows.done, input: w, set: { url: "", idleSince: null } })
      if (Option.isNone(done)) return { _tag: "Changed" } satisfies HibernationEnd
      yield* bus.publish(done.value)
      return { _tag: "Hibernated" } satisfies HibernationEnd
    }
    yield* Effect.logError(`Hibernate: workload of ${w.id} not stopped, back to ${prior}: ${outcome.reason}`)
    const back = yield* statusWrites.transition({
      id: w.id, row: rows[prior], input: { name: w.name, error: outcome.reason }, set: { lastSampleError: outcome.reason }
    })
    if (Option.isSome(back)) yield* bus.publish(back.value)
    return outcome
  }).pipe(Effect.annotateLogs({ workspace_id: w.id, source })))
