/**
 * Stopping a workload while keeping its volumes, for pause and hibernate (§2.4), and the step every CP stop shares
 * with the restart cycles (§8.4): an exhausted stop is recorded as a leak suspect, a successful one clears
 * `instance_id`. Unlike a restart (§10.5), pause and hibernate answer only after the stop, so this is not a restart
 * module: the CP machine is still stopped only through `cpStopWithRetry`.
 */
import { Effect, Option } from "effect"
import { EXTERNAL } from "../domain/Runtime.js"
import { LeakSuspects } from "../ports/LeakSuspects.js"
import type { Provisioner, WorkloadRef } from "../ports/Provisioner.js"
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
