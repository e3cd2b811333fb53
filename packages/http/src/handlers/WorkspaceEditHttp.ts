/** Handler of `PATCH /workspaces/:id` (§5.4.1): the body as core's `UpdateRequest`, one `Workspaces.update` call. */
import { HttpApiBuilder } from "@effect/platform"
import type { WorkspaceUpdate } from "@berth/core"
import { Workspaces } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import type { UpdatePayload } from "../groups/WorkspaceEdit.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

export const toUpdateRequest = (p: typeof UpdatePayload.Type): WorkspaceUpdate.UpdateRequest => ({
  name: p.name,
  role: p.role,
  tier: p.tier,
  parentId: p.parent_id,
  runtime: p.runtime,
  workspaceDir: p.workspace_dir,
  x: p.x,
  y: p.y,
  collapsed: p.collapsed,
  hibernationIdleMinutes: p.hibernation_idle_minutes
})

export const WorkspaceEditLive = HttpApiBuilder.group(Api, "workspaceEdit", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* Workspaces
    return handlers.handle("update", ({ path, payload }) =>
      workspaces.update(path.id, toUpdateRequest(payload)).pipe(
        Effect.map((done) => ({ status: "updated" as const, ...(done.needsRestart ? { needs_restart: true as const } : {}) })),
        mapCoreErrors
      ))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
