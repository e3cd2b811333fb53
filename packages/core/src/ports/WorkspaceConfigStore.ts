import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** `workspace_config (workspace_id, data jsonb)` (§3.4): create stores `{name,runtime,tier,template}` when no backend ran. */
export class WorkspaceConfigStore extends Context.Tag("@berth/core/WorkspaceConfigStore")<WorkspaceConfigStore, {
  /** Upserts the workspace's config document. */
  readonly put: (id: WorkspaceId, data: Readonly<Record<string, unknown>>) => Effect.Effect<void, DatastoreUnavailable>
  /** The stored document, if any. */
  readonly get: (id: WorkspaceId) => Effect.Effect<Option.Option<Readonly<Record<string, unknown>>>, DatastoreUnavailable>
}>() {}
