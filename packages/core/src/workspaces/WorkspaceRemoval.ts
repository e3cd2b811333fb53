/**
 * Delete (§5.5): confirmation for a subtree, then every collected row is marked `removed` (layouts deleted, tokens
 * revoked) BEFORE any workload is stopped, so a failed stop never leaves a live row behind. Stops go through the
 * workspace lifecycle (the active provisioner, each with its own deadline, detached from the request); external
 * workspaces never reach it. Purge then removes the data volumes (only a container backend keeps any on this host)
 * and the rows.
 */
import { Effect, Option } from "effect"
import { PurgeFailed, SubtreeNeedsConfirmation, WorkloadStopsFailed, WorkspaceNotFound } from "../domain/Errors.js"
import { ContainerVolumes } from "../ports/ContainerVolumes.js"
import { EventBus } from "../ports/EventBus.js"
import type { WorkspaceRef } from "../ports/WorkspaceRecords.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { EXTERNAL } from "../domain/Runtime.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { WorkspaceLifecycle } from "../lifecycle/WorkspaceLifecycle.js"

/** What a delete asks for: cascade over live children, and purge after removal. */
export interface RemoveOptions {
  readonly confirm: boolean
  readonly purge: boolean
}

/** What a delete did; `cascadeDeleted` counts the descendants, the root excluded. */
export interface Removed {
  readonly purged: boolean
  readonly cascadeDeleted: number
}

/** A purge step that failed: logged, then `PurgeFailed`; the rows stay `removed`, so a retry is safe. */
const purgeStep = (what: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.tapError((e) => Effect.logError(`delete: ${what} failed`, e)),
    Effect.mapError(() => new PurgeFailed())
  )

/** Builds the use case over its ports. */
export const make = Effect.gen(function* () {
  const store = yield* WorkspaceStore
  const hierarchy = yield* WorkspaceHierarchy
  const bus = yield* EventBus
  const lifecycle = yield* WorkspaceLifecycle
  const volumes = yield* Effect.serviceOption(ContainerVolumes)

  return (id: WorkspaceId, options: RemoveOptions) =>
    Effect.gen(function* () {
      // 1. unknown → not found; a live subtree needs confirmation
      const root = yield* store.get(id)
      if (Option.isNone(root)) return yield* Effect.fail(new WorkspaceNotFound({ id }))
      const retry = root.value.status === "removed"
      if (!retry && !options.confirm) {
        const children = yield* hierarchy.children(id)
        if (children.length > 0) {
          return yield* Effect.fail(new SubtreeNeedsConfirmation({ children: children.map((c) => ({ id: c.id, name: c.name })) }))
        }
      }
      // 2. the subtree: live descendants, or every descendant when retrying a delete
      const descendants: ReadonlyArray<WorkspaceRef> = yield* hierarchy.descendants(id, retry)
      const collected = [root.value, ...descendants]
      // 3. + 5. mark removed with WORKSPACE_REMOVED per row ({cascade_deleted:N} on the root), then publish
      const events = yield* store.markRemoved(collected.map((w) => ({
        id: w.id,
        event: {
          type: "WORKSPACE_REMOVED" as const,
          payload: w.id === id ? { cascade_deleted: descendants.length, source: "delete" } : { source: "delete" }
        }
      })))
      yield* Effect.forEach(events, bus.publish, { discard: true })
      // 4. only now stop the workloads
      const workloads = collected.filter((w) => w.runtime !== EXTERNAL)
      const failures = yield* lifecycle.stopRemoved(workloads.map((w) => ({ id: w.id, runtime: w.runtime, instanceId: w.instanceId })))
      // 6. any failed stop: the rows stay removed and a retry is safe
      if (failures.length > 0) {
        yield* Effect.logWarning(`delete: ${failures.length} stop call(s) failed`, failures)
        return yield* Effect.fail(new WorkloadStopsFailed({ removedCount: collected.length, failures: failures.map((f) => f.error) }))
      }
      const cascadeDeleted = descendants.length
      if (!options.purge) return { purged: false, cascadeDeleted } satisfies Removed
      // 7. purge: the data volumes first, then the rows (events are kept)
      if (Option.isSome(volumes)) {
        yield* purgeStep("removing a workspace data volume")(
          Effect.forEach(workloads, (w) => volumes.value.removeWorkspaceData(w.id), { discard: true }))
      }
      yield* purgeStep("purge")(store.purge(collected.map((w) => w.id)))
      return { purged: true, cascadeDeleted } satisfies Removed
    }).pipe(Effect.annotateLogs("workspace_id", id))
})
