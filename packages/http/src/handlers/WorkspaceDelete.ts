/**
 * `DELETE /workspaces/:id` (§5.5): confirmation for a subtree, then every collected row is marked `removed` (layouts
 * deleted, tokens revoked) BEFORE any workload is stopped, so a failed stop never leaves a live row behind. Stops go
 * through the workspace lifecycle (the active provisioner, each with its own deadline, detached from the request);
 * external workspaces never reach it.
 */
import type { WorkspaceId, WorkspaceRef } from "@berth/core"
import { ContainerVolumes, EventBus, Runtime, WorkspaceLifecycle, WorkspaceRepository } from "@berth/core"
import { Effect, Option } from "effect"
import type { DeleteQuery } from "../groups/Workspaces.js"
import { ConfirmationRequired, Internal, StopFailed, orUnavailable, workspaceNotFound } from "../wire/Errors.js"

const confirmMessage = "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete."
const purgeFailed = new Internal({ error: "purge failed" })

export const remove = (id: WorkspaceId.WorkspaceId, query: typeof DeleteQuery.Type) =>
  Effect.gen(function* () {
    const repo = yield* WorkspaceRepository
    const bus = yield* EventBus
    const lifecycle = yield* WorkspaceLifecycle
    // 1. unknown → 404; a live subtree needs ?confirm=true
    const root = yield* orUnavailable(repo.get(id))
    if (Option.isNone(root)) return yield* Effect.fail(workspaceNotFound)
    const retry = root.value.status === "removed"
    if (!retry && query.confirm !== "true") {
      const children = yield* orUnavailable(repo.children(id))
      if (children.length > 0) {
        return yield* Effect.fail(new ConfirmationRequired({
          status: "confirmation_required",
          message: confirmMessage,
          children: children.map((c) => ({ id: c.id, name: c.name })),
          children_count: children.length
        }))
      }
    }
    // 2. the subtree: live descendants, or every descendant when retrying a delete
    const descendants: ReadonlyArray<WorkspaceRef> = yield* orUnavailable(repo.descendants(id, retry))
    const collected = [root.value, ...descendants]
    // 3. + 5. mark removed with WORKSPACE_REMOVED per row ({cascade_deleted:N} on the root), then publish
    const events = yield* orUnavailable(repo.markRemoved(collected.map((w) => ({
      id: w.id,
      event: {
        type: "WORKSPACE_REMOVED" as const,
        payload: w.id === id ? { cascade_deleted: descendants.length, source: "delete" } : { source: "delete" }
      }
    }))))
    yield* Effect.forEach(events, bus.publish, { discard: true })
    // 4. only now stop the workloads
    const failures = yield* lifecycle.stopRemoved(
      collected.filter((w) => w.runtime !== Runtime.EXTERNAL).map((w) => ({ id: w.id, runtime: w.runtime, instanceId: w.instanceId }))
    )
    // 6. any failed stop: the rows stay removed and a retry is safe
    if (failures.length > 0) {
      yield* Effect.logWarning(`delete: ${failures.length} stop call(s) failed`, failures)
      return yield* Effect.fail(new StopFailed({
        error: `workspace marked removed, but ${failures.length} stop call(s) failed — please retry: ${failures.map((f) => f.error).join("; ")}`,
        removed_count: collected.length,
        stop_failures: failures.length
      }))
    }
    // 7. purge: the data volumes first (a failure leaves the rows `removed`, so a retry is safe), then the rows (events
    // are kept). Only Docker keeps workspace data on this host.
    if (query.purge === "true") {
      const volumes = yield* Effect.serviceOption(ContainerVolumes)
      if (Option.isSome(volumes)) {
        yield* Effect.forEach(collected.filter((w) => w.runtime !== Runtime.EXTERNAL), (w) => volumes.value.removeWorkspaceData(w.id), { discard: true }).pipe(
          Effect.tapError((e) => Effect.logError("delete: removing a workspace data volume failed", e)),
          Effect.orElseFail(() => purgeFailed)
        )
      }
      yield* repo.purge(collected.map((w) => w.id)).pipe(
        Effect.tapError((e) => Effect.logError("delete: purge failed", e)),
        Effect.orElseFail(() => purgeFailed)
      )
      return { status: "purged" as const, cascade_deleted: descendants.length }
    }
    // 8.
    return { status: "removed" as const, cascade_deleted: descendants.length }
  }).pipe(Effect.annotateLogs("workspace_id", id), Effect.withSpan("Workspaces.delete"))
