import type { Effect } from "effect"
import { Context } from "effect"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/**
 * Where a provision takes `/configs` from (§5.2 rule 12, §5.6 rule 4): a template directory chosen by the caller,
 * the generated default `config.yaml` (§9.4), or whatever the config volume already holds (restart only).
 */
export type ConfigSource =
  | { readonly _tag: "TemplateDir"; readonly templateId: string; readonly dir: string }
  | { readonly _tag: "Generated"; readonly configYaml: string }
  | { readonly _tag: "ExistingVolume" }

/** One stop that failed while deleting (§5.5 rule 6); `error` is safe to show to the client. */
export interface StopFailure {
  readonly id: WorkspaceId
  readonly error: string
}

/** A collected row to stop after it was marked `removed` (§5.5 rule 4). */
export interface RemovedWorkload {
  readonly id: WorkspaceId
  readonly runtime: string
  readonly instanceId: string | null
}

/**
 * The background side of the workspace lifecycle, shared by the HTTP routes and the sweeps. The routes validate,
 * write the row and answer; everything that talks to a provisioner happens here. Implemented by `Lifecycle.layer`
 * (together with `AutoRestart`): provisions and restart cycles of one workspace share a lane, so they never overlap.
 */
export class WorkspaceLifecycle extends Context.Tag("@berth/core/WorkspaceLifecycle")<WorkspaceLifecycle, {
  /**
   * §5.2 rule 12 and §8.1: run the provisioning pipeline for a freshly created `provisioning` row in a detached
   * background fiber. Returns at once and never fails; with no backend the row is marked `failed` (source
   * `no_backend`) before it returns, so the caller's response is unchanged either way.
   */
  readonly provisionInBackground: (id: WorkspaceId, config: ConfigSource) => Effect.Effect<void>
  /**
   * §5.6 rule 6: the route has already set `provisioning` and emitted the event; fork the restart cycle (stop, then
   * provision with the runtime read from the database), detached from the request, serialized per workspace and
   * coalesced with cycles already queued. Returns at once.
   */
  readonly restartInBackground: (
    id: WorkspaceId,
    options: { readonly config: ConfigSource; readonly resetSession: boolean }
  ) => Effect.Effect<void>
  /**
   * §5.5 rule 4: stop each non-external workload through the active provisioner, each with its own 30 s deadline,
   * detached from the request, without retry; Docker removes the volumes after a successful stop, CP clears
   * `instance_id`. A restart cycle still running for one of them is cancelled first (it could start it again). With
   * no backend nothing was ever started, so nothing is stopped. Returns the failures (empty when all stopped), each
   * `error` reading `<id>: stop failed[ (HTTP <status>)]` or `<id>: stop timed out after 30s`.
   */
  readonly stopRemoved: (workloads: ReadonlyArray<RemovedWorkload>) => Effect.Effect<ReadonlyArray<StopFailure>>
  /**
   * Cancels the restart or provision cycle running or queued for `id` (pause and hibernate stop the workload next;
   * a cycle left running could start it again). Returns once the cycle has ended.
   */
  readonly cancel: (id: WorkspaceId) => Effect.Effect<void>
}>() {}
