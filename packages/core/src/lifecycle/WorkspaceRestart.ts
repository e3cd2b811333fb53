/**
 * Restart cycles (contract §5.6, §8.4): stop the old workload, then provision again with the runtime read from the
 * database. Everything here runs on a workspace lane (`WorkspaceLanes`), never in a request: `laneCycle` is handed to
 * the lanes by reference and is the only entry point. CP stops go through `cpStopWithRetry` only; an exhausted stop
 * is recorded as a leak suspect and the provision happens regardless; an interrupted one (shutdown) ends the cycle.
 */
import { Effect, Option } from "effect"
import * as CpStopRetry from "./CpStopRetry.js"
import { EventBus } from "../ports/EventBus.js"
import type { LeakSuspects } from "../ports/LeakSuspects.js"
import type { WorkloadRef } from "../ports/Provisioner.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import { Provisioner } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import type { WorkspaceRef } from "../ports/WorkspaceRecords.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { PipelineServices } from "./ProvisionPipeline.js"
import { backendCall, provision, withDefectGuard } from "./ProvisionPipeline.js"
import { markProvisioning } from "./Reprovisioning.js"
import type { StopSource } from "./WorkloadStop.js"
import { settleCpStop } from "./WorkloadStop.js"
import { EXTERNAL } from "../domain/Runtime.js"
import { pausedAncestor } from "../workspaces/PausedAncestor.js"
import type { ConfigSource } from "./WorkspaceLifecycle.js"
import type { Merge } from "./WorkspaceLanes.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** What a lane turn does: the first provision of a new row, a manual restart (status already written), an auto-restart. */
export type LaneJob =
  | { readonly _tag: "Provision"; readonly config: ConfigSource }
  | { readonly _tag: "Restart"; readonly config: ConfigSource; readonly resetSession: boolean }
  | { readonly _tag: "AutoRestart" }

/**
 * Coalescing (§5.6): what is queued behind a running turn absorbs later requests into ONE follow-up. An auto-restart
 * adds nothing to a queued job (any follow-up reads the stored secrets anew); a manual restart replaces what is
 * queued, keeping a session reset asked for by an earlier one.
 */
export const mergeJobs: Merge<LaneJob> = (queued, next) => {
  if (next._tag === "AutoRestart") return queued
  if (next._tag === "Restart" && queued._tag === "Restart") {
    return { ...next, resetSession: queued.resetSession || next.resetSession }
  }
  return next
}

/** Who stops, in the CP retry log lines and leak records (§8.4). */
export type { StopSource } from "./WorkloadStop.js"

/**
 * §5.6 auto-restart skip rules: no backend, `removed`, `paused`, `hibernated`, runtime `external`, a paused ancestor.
 * The reason, for the log, or None to restart.
 */
export const autoRestartSkip = (
  ws: Pick<WorkspaceRef, "status" | "runtime">,
  ancestors: ReadonlyArray<Pick<WorkspaceRef, "status" | "name">>,
  hasBackend: boolean
): Option.Option<string> => {
  if (!hasBackend) return Option.some("no provisioning backend")
  if (ws.status === "removed" || ws.status === "paused" || ws.status === "hibernated") return Option.some(ws.status)
  if (ws.runtime === EXTERNAL) return Option.some("external workspace")
  return Option.map(pausedAncestor(ancestors), (paused) => `parent workspace "${paused.name}" is paused`)
}

/** Everything a cycle talks to. */
export type RestartServices = PipelineServices | LeakSuspects | WorkspaceHierarchy

// The CP stop of a restart: the contract's retry (§8.4), each attempt under the backend deadline.
const cpStopWithRetry = (provisioner: Provisioner["Type"], ref: WorkloadRef, source: StopSource) =>
  CpStopRetry.cpStopWithRetry(backendCall(provisioner.stop(ref)), { id: ref.id, source })

/**
 * Stop the CP machine with the retry; on exhaustion record the old instance id as a leak suspect. "Stop, then record"
 * is one uninterruptible step (the waits stay interruptible), so a shutdown never loses an exhaustion nor records
 * an interruption. A successful stop clears `instance_id`.
 */
const stopMachine = (provisioner: Provisioner["Type"], ref: WorkloadRef, source: StopSource) =>
  Effect.uninterruptible(Effect.tap(cpStopWithRetry(provisioner, ref, source), (outcome) => settleCpStop(ref, source, outcome)))

// A container stop: the start force-removes a same-named container anyway, so a failed stop only delays that.
const stopContainer = (docker: Provisioner["Type"], ref: WorkloadRef, source: StopSource) =>
  backendCall(docker.stop(ref)).pipe(
    Effect.catchAll((e) => Effect.logWarning(`${source}: stopping the old container of ${ref.id} failed`, e))
  )

/**
 * One restart cycle: stop the old workload (Docker stop, errors logged; CP `cpStopWithRetry`), then the provisioning
 * pipeline with the runtime read from the database. A removed, unknown or external row is left alone; a CP stop
 * interrupted by shutdown ends the cycle without provisioning.
 */
export const restartCycle = (
  id: WorkspaceId,
  options: { readonly config: ConfigSource; readonly resetSession: boolean; readonly source: StopSource }
): Effect.Effect<void, never, RestartServices> =>
  Effect.gen(function* () {
    const backend = yield* Effect.serviceOption(Provisioner)
    // Only the CP has a machine console: its machines are stopped with the contract's retry (§8.4).
    const machines = yield* Effect.serviceOption(MachineConsole)
    const row = yield* (yield* WorkspaceStore).get(id)
    if (Option.isNone(row) || row.value.status === "removed" || row.value.runtime === EXTERNAL) {
      return yield* Effect.logInfo(`${options.source}: ${id} is removed, unknown or external, nothing to restart`)
    }
    const ref: WorkloadRef = { id, instanceId: row.value.instanceId }
    // Without a backend nothing was started: the provision records why.
    if (Option.isSome(backend)) {
      if (Option.isSome(machines)) {
        const outcome = yield* stopMachine(backend.value, ref, options.source)
        if (outcome._tag === "Interrupted") return
      } else {
        yield* stopContainer(backend.value, ref, options.source)
      }
    }
    yield* provision(id, { config: options.config, resetSession: options.resetSession })
  }).pipe(
    Effect.catchTag("DatastoreUnavailable", (e) => Effect.logError(`${options.source}: cannot read workspace ${id}`, e)),
    Effect.annotateLogs({ workspace_id: id, source: options.source }),
    Effect.withSpan("WorkspaceRestart.restartCycle", { attributes: { workspace_id: id } })
  )

/**
 * An auto-restart turn: the skip rules on the current row and its ancestors, then the shared restart status write
 * (`auto_restart`) published, then the cycle keeping the existing config volume.
 */
export const autoRestartCycle = (id: WorkspaceId): Effect.Effect<void, never, RestartServices> =>
  Effect.gen(function* () {
    const row = yield* (yield* WorkspaceStore).get(id)
    if (Option.isNone(row)) return yield* Effect.logInfo(`Auto-restart: ${id} is unknown, skipped`)
    const ws = row.value
    const ancestors = ws.parentId === null ? [] : yield* (yield* WorkspaceHierarchy).ancestors(id)
    const skip = autoRestartSkip(ws, ancestors, Option.isSome(yield* Effect.serviceOption(Provisioner)))
    if (Option.isSome(skip)) return yield* Effect.logInfo(`Auto-restart: ${id} skipped (${skip.value})`)
    const recorded = yield* markProvisioning(yield* StatusWrites, ws, "auto_restart")
    if (Option.isNone(recorded)) return yield* Effect.logInfo(`Auto-restart: ${id} was removed meanwhile, skipped`)
    yield* (yield* EventBus).publish(recorded.value)
    yield* restartCycle(id, { config: { _tag: "ExistingVolume" }, resetSession: false, source: "Auto-restart" })
  }).pipe(
    Effect.catchTag("DatastoreUnavailable", (e) => Effect.logError(`Auto-restart: cannot read workspace ${id}`, e)),
    Effect.annotateLogs({ workspace_id: id, source: "Auto-restart" })
  )

/** One lane turn, under the defect guard (§8.1 step 2): handed to `WorkspaceLanes.make` and run only there. */
export const laneCycle = (id: WorkspaceId, job: LaneJob): Effect.Effect<void, never, RestartServices> =>
  withDefectGuard(id)(
    job._tag === "Provision"
      ? provision(id, { config: job.config, resetSession: false })
      : job._tag === "Restart"
      ? restartCycle(id, { config: job.config, resetSession: job.resetSession, source: "Restart" })
      : autoRestartCycle(id)
  )
