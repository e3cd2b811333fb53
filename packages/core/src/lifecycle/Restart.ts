/**
 * `POST /workspaces/:id/restart` as a use case (§5.6): the rules in the contract's order — unknown or removed, a
 * paused ancestor, external (nothing to restart, nothing written), no backend —, then the options and config source,
 * the shared `provisioning` status write (`user_restart`) published, and the cycle handed to the workspace lifecycle.
 * Nothing here stops a workload: the answer comes at once and the stop runs in the background (§10.5).
 */
import { Effect, Option } from "effect"
import * as ConfigChoice from "../workspaces/ConfigChoice.js"
import type { InvalidInput } from "../domain/Errors.js"
import { NoBackend, WorkspaceNotFound, WorkspaceRemoved } from "../domain/Errors.js"
import { EventBus } from "../ports/EventBus.js"
import { Provisioner } from "../ports/Provisioner.js"
import type { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import { markProvisioning } from "./Reprovisioning.js"
import type { RuntimeAllowlist } from "../domain/Runtime.js"
import { EXTERNAL } from "../domain/Runtime.js"
import type { ConfigSource } from "./WorkspaceLifecycle.js"
import { WorkspaceLifecycle } from "./WorkspaceLifecycle.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { ensureNoPausedAncestor } from "../workspaces/PausedAncestor.js"

/** The restart options a client may send (§5.6 rule 4), already decoded. */
export interface RestartOptions {
  /** A template id to apply, or "". */
  readonly template: string
  /** `apply_template` or `rebuild_config`: fall back to the runtime's default template. */
  readonly reapply: boolean
  readonly reset: boolean
}

export interface RestartRequest {
  /** The body's options, read only once rules 1–3 passed (an undecodable body is then an `InvalidInput`). */
  readonly options: Effect.Effect<RestartOptions, InvalidInput>
  /** `?reset=true`. */
  readonly resetQuery: boolean
}

/** What a restart did: nothing for an external workspace (rule 2), else the background cycle it started. */
export type RestartOutcome =
  | { readonly _tag: "External" }
  | { readonly _tag: "Provisioning"; readonly config: ConfigSource; readonly resetSession: boolean }

export class Restart extends Effect.Service<Restart>()("@berth/core/Restart", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const statusWrites = yield* StatusWrites
    const bus = yield* EventBus
    const lifecycle = yield* WorkspaceLifecycle
    const backend = yield* Effect.serviceOption(Provisioner)
    const context = yield* Effect.context<WorkspaceHierarchy | TemplateCatalogue | RuntimeAllowlist>()

    /**
     * Restarts workspace `id`. Fails with `WorkspaceNotFound`, `WorkspaceRemoved`, `AncestorPaused`, `NoBackend`
     * (external-only mode), `InvalidInput` (body or template) or `DatastoreUnavailable`.
     */
    const restart = Effect.fn("Restart.restart")(function* (id: WorkspaceId, request: RestartRequest) {
      // 1. unknown, removed, or under a paused ancestor
      const row = yield* store.get(id)
      if (Option.isNone(row)) return yield* new WorkspaceNotFound({ id })
      const workspace = row.value
      if (workspace.status === "removed") return yield* new WorkspaceRemoved({ id, removedAt: workspace.updatedAt })
      yield* ensureNoPausedAncestor(id)
      // 2. external: nothing to restart, and nothing is written
      if (workspace.runtime === EXTERNAL) return { _tag: "External" } satisfies RestartOutcome
      // 3. no backend
      if (Option.isNone(backend)) return yield* new NoBackend()
      // 4. options and config source
      const options = yield* request.options
      const config = yield* ConfigChoice.forRestart({ template: options.template, reapply: options.reapply, runtime: workspace.runtime })
      const resetSession = request.resetQuery || options.reset
      // 5. provisioning, url cleared, WORKSPACE_PROVISIONING (source user_restart; wake for a hibernated row)
      const recorded = yield* markProvisioning(statusWrites, workspace, workspace.status === "hibernated" ? "wake" : "user_restart")
      if (Option.isNone(recorded)) return yield* new WorkspaceRemoved({ id, removedAt: null })
      yield* bus.publish(recorded.value)
      // 6. the cycle runs in the background, detached from this request
      yield* lifecycle.restartInBackground(id, { config, resetSession })
      return { _tag: "Provisioning", config, resetSession } satisfies RestartOutcome
    }, (effect, id) => effect.pipe(Effect.provide(context), Effect.annotateLogs("workspace_id", id)))

    return { restart } as const
  })
}) {}
