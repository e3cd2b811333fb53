/**
 * Small pieces the use-case tests share: workspace rows made through the store port, and an `AutoRestart` that
 * keeps the ids it was asked to restart (the lifecycle behind the real one is not what these tests are about).
 */
import { AutoRestart, WorkspaceStore } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import { Context, Effect, Layer, Ref } from "effect"

/** A fresh `provisioning` row, as create stores it. */
export const newWorkspace = (name: string, runtime = "external") =>
  Effect.flatMap(WorkspaceStore, (store) => store.create({
    name, role: null, tier: 1, runtime, parentId: null, workspaceDir: null, workspaceAccess: "none",
    deliveryMode: "poll", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
    event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
  })).pipe(Effect.map((c) => c.workspace.id))

/** Marks the row `removed`, as delete does. */
export const removeWorkspace = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) =>
    store.markRemoved([{ id, event: { type: "WORKSPACE_REMOVED", payload: { source: "delete" } } }]))

/** The ids restarts were requested for, in order. */
export class RestartRequests extends Context.Tag("test/RestartRequests")<RestartRequests, Ref.Ref<ReadonlyArray<string>>>() {}

/** `AutoRestart` and `RestartRequests` over one list. */
export const autoRestartKept = Layer.effectContext(Effect.gen(function* () {
  const requests = yield* Ref.make<ReadonlyArray<string>>([])
  return Context.make(RestartRequests, requests).pipe(
    Context.add(AutoRestart, AutoRestart.of({ request: (id) => Ref.update(requests, (all) => [...all, id]) }))
  )
}))

/** Empties the list and returns what it held. */
export const takeRestartRequests = Effect.flatMap(RestartRequests, (requests) => Ref.getAndSet(requests, []))

/** "ok", or the tag of the error the use case failed with. */
export const tagOf = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  self.pipe(Effect.as("ok"), Effect.catchAll((e) => Effect.succeed(e._tag)))
