import type { Effect } from "effect"
import { Context } from "effect"
import type { EventSource } from "../domain/Events.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/**
 * Asks for a background restart cycle of a workspace (§5.6 "Auto-restart"): after `WORKSPACE_OFFLINE` and after
 * secret, model or provider changes. The implementation skips what the contract lists (removed, paused, hibernated,
 * external, paused ancestors, no backend), serializes cycles per workspace and coalesces requests; `request`
 * returns at once and never fails. Implemented by `Lifecycle.layer`: the skip rules and the `auto_restart` status
 * write run when the cycle's turn comes, so requests queued behind a running cycle write and restart once.
 */
export class AutoRestart extends Context.Tag("@berth/core/AutoRestart")<AutoRestart, {
  readonly request: (id: WorkspaceId, source: EventSource) => Effect.Effect<void>
}>() {}
