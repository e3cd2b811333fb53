/**
 * Pause, resume and hibernate as use cases (§2.4). Pause stops a subtree's workloads and keeps
 * their volumes; resume provisions a paused subtree again from them; hibernate stops one online workspace and says
 * `hibernated` only once its workload really stopped — a failed stop puts back the status it had, with the reason.
 * Every status change is a row of `Transitions`; CP machines are stopped only with the contract's retry (§8.4).
 */
import { Effect, Option } from "effect"
import * as Transitions from "../domain/Transitions.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { HibernateFailed, NoBackend, NotInLifecycleState, WorkspaceBusy } from "../domain/Errors.js"
import { EXTERNAL } from "../domain/Runtime.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { EventBus } from "../ports/EventBus.js"
import type { LeakSuspects } from "../ports/LeakSuspects.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import { Provisioner } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import type { Recorded, Workspace, WorkspaceRef } from "../ports/WorkspaceRecords.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { ensureNoPausedAncestor } from "../workspaces/PausedAncestor.js"
import { markProvisioning } from "./Reprovisioning.js"
import { WorkspaceLifecycle } from "./WorkspaceLifecycle.js"
import type { StopSource } from "./WorkloadStop.js"
import { completeHibernation, stopWorkload } from "./WorkloadStop.js"

/** What `pause` and `resume` did: how many workspaces changed. */
export interface Cascade {
  readonly count: number
}

export class Hibernation extends Effect.Service<Hibernation>()("@berth/core/Hibernation", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const hierarchy = yield* WorkspaceHierarchy
    const statusWrites = yield* StatusWrites
    const bus = yield* EventBus
    const lifecycle = yield* WorkspaceLifecycle
    const backend = yield* Effect.serviceOption(Provisioner)
    // Only the CP has a machine console: its machines are stopped with the contract's retry (§8.4).
    const machines = Option.isSome(yield* Effect.serviceOption(MachineConsole))
    const stopOf = (w: Pick<Workspace, "id" | "runtime" | "instanceId">, source: StopSource) =>
      stopWorkload(backend, machines, { id: w.id, instanceId: w.instanceId, runtime: w.runtime }, source)
    const context = yield* Effect.context<WorkspaceStore | WorkspaceHierarchy | LeakSuspects | StatusWrites | EventBus>()

    const publish = (recorded: Recorded) => Option.isSome(recorded) ? bus.publish(recorded.value) : Effect.void

    /** The subtree below `id` whose rows qualify, walking down only through qualifying children. */
    const subtree = (id: WorkspaceId, qualifies: (child: WorkspaceRef) => boolean): Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable> =>
      Effect.gen(function* () {
        const children = (yield* hierarchy.children(id)).filter(qualifies)
        const below = yield* Effect.forEach(children, (child) => subtree(child.id, qualifies))
        return children.flatMap((child, i) => [child, ...(below[i] ?? [])])
      })

    const live = (id: WorkspaceId, operation: NotInLifecycleState["operation"]) =>
      Effect.flatMap(store.get(id), (row) =>
        Option.isNone(row) || row.value.status === "removed"
          ? Effect.fail(new NotInLifecycleState({ id, operation }))
          : Effect.succeed(row.value))

    /** Pauses one workspace: the status first (so no sweep or auto-restart starts it again), then its workload. */
    const pauseOne = (w: Pick<Workspace, "id" | "name" | "tier" | "runtime" | "instanceId">) =>
      Effect.gen(function* () {
        const recorded = yield* statusWrites.transition({ id: w.id, row: Transitions.paused, input: w, set: { url: "", idleSince: null } })
        if (Option.isNone(recorded)) return false
        yield* bus.publish(recorded.value)
        yield* lifecycle.cancel(w.id)
        const outcome = yield* stopOf(w, "Pause")
        // The row stays paused: nothing will start it, and a retried pause cannot reach it (upstream answers the same).
        if (outcome._tag === "NotStopped") yield* Effect.logError(`Pause: workload of ${w.id} not stopped: ${outcome.reason}`)
        return true
      }).pipe(Effect.annotateLogs("workspace_id", w.id))

    /**
     * Pauses `id` and every descendant not already paused (the walk stops at a paused child). Fails with
     * `NotInLifecycleState` (unknown, removed or already paused) or `DatastoreUnavailable`.
     */
    const pause = Effect.fn("Hibernation.pause")(function* (id: WorkspaceId) {
      const root = yield* live(id, "pause")
      if (root.status === "paused") return yield* new NotInLifecycleState({ id, operation: "pause" })
      const below = yield* subtree(id, (child) => child.status !== "paused")
      const rows = yield* Effect.forEach(below, (ref) => Effect.map(store.get(ref.id), Option.toArray))
      const changed = yield* Effect.forEach([root, ...rows.flat()], pauseOne, { concurrency: 4 })
      if (changed[0] !== true) return yield* new NotInLifecycleState({ id, operation: "pause" })
      return { count: changed.filter(Boolean).length } satisfies Cascade
    }, (effect, id) => effect.pipe(Effect.provide(context), Effect.annotateLogs("workspace_id", id)))

    /** Resumes (or wakes) one workspace: external rows wait for their agent, the others provision from their volumes. */
    const resumeOne = (w: Workspace) =>
      Effect.gen(function* () {
        if (w.runtime === EXTERNAL) {
          return Option.isSome(yield* Effect.tap(statusWrites.transition({ id: w.id, row: Transitions.resumedExternal, input: w }), publish))
        }
        const recorded = yield* markProvisioning(statusWrites, w, w.status === "hibernated" ? "wake" : "resume")
        if (Option.isNone(recorded)) return false
        yield* bus.publish(recorded.value)
        yield* lifecycle.provisionInBackground(w.id, { _tag: "ExistingVolume" })
        return true
      })

    /**
     * Resumes a paused `id` and its paused descendants, or wakes a hibernated `id` (a Berth extension). Fails with
     * `NotInLifecycleState` (unknown, removed, neither paused nor hibernated), `AncestorPaused`, `NoBackend` (a
     * container workspace with no backend) or `DatastoreUnavailable`.
     */
    const resume = Effect.fn("Hibernation.resume")(function* (id: WorkspaceId) {
      const root = yield* live(id, "resume")
      if (root.status !== "paused" && root.status !== "hibernated") return yield* new NotInLifecycleState({ id, operation: "resume" })
      yield* ensureNoPausedAncestor(id)
      if (root.runtime !== EXTERNAL && Option.isNone(backend)) return yield* new NoBackend()
      const below = root.status === "paused" ? yield* subtree(id, (child) => child.status === "paused") : []
      const rows = yield* Effect.forEach(below, (ref) => Effect.map(store.get(ref.id), Option.toArray))
      const changed = yield* Effect.forEach([root, ...rows.flat()], resumeOne)
      if (changed[0] !== true) return yield* new NotInLifecycleState({ id, operation: "resume" })
      return { count: changed.filter(Boolean).length } satisfies Cascade
    }, (effect, id) => effect.pipe(Effect.provide(context), Effect.annotateLogs("workspace_id", id)))

    /** After the claim: cancel a cycle that could start the workload again, then stop and settle (§2.4). */
    const finishHibernation = (w: Workspace, prior: "online" | "degraded") =>
      Effect.gen(function* () {
        yield* lifecycle.cancel(w.id)
        const end = yield* completeHibernation(backend, machines, w, prior, "hibernate")
        if (end._tag === "NotStopped") return yield* new HibernateFailed({ id: w.id, reason: end.reason })
        // A register, restart or delete changed the row during the stop: it is not hibernated, so do not say so.
        if (end._tag === "Changed") return yield* new NotInLifecycleState({ id: w.id, operation: "hibernate" })
      })

    /**
     * Hibernates an online or degraded container workspace: claims `hibernating`, stops the workload, then
     * `hibernated`. Fails with `NotInLifecycleState` (unknown, removed, external or another status), `WorkspaceBusy`
     * (active tasks without `force`), `NoBackend`, `HibernateFailed` (stop failed; prior status restored) or
     * `DatastoreUnavailable`.
     */
    const hibernate = Effect.fn("Hibernation.hibernate")(function* (id: WorkspaceId, force: boolean) {
      const w = yield* live(id, "hibernate")
      if ((w.status !== "online" && w.status !== "degraded") || w.runtime === EXTERNAL) {
        return yield* new NotInLifecycleState({ id, operation: "hibernate" })
      }
      if (w.activeTasks > 0 && !force) return yield* new WorkspaceBusy({ id, activeTasks: w.activeTasks })
      if (Option.isNone(backend)) return yield* new NoBackend()
      const claim = yield* statusWrites.transition({ id, row: Transitions.hibernateClaimed, input: w })
      // Another hibernation (or any status change) got there first.
      if (Option.isNone(claim)) return yield* new NotInLifecycleState({ id, operation: "hibernate" })
      yield* bus.publish(claim.value)
      yield* finishHibernation(w, w.status)
    }, (effect, id) => effect.pipe(Effect.provide(context), Effect.annotateLogs("workspace_id", id)))

    return { pause, resume, hibernate } as const
  })
}) {}
