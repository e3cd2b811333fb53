/** Rows the registry tests start from, written through the real stores. */
import { Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { WorkspaceStore } from "@berth/core"
import type { WorkspaceId as Id } from "../../src/domain/WorkspaceId.js"
import { WorkspaceId } from "../../src/domain/WorkspaceId.js"

/** An id no row has. */
export const freshId = (): Id => Schema.decodeSync(WorkspaceId)(randomUUID())

/** A stored `provisioning` external workspace (poll mode), optionally under `parentId`. */
export const storedWorkspace = (parentId: Id | null = null) =>
  Effect.flatMap(WorkspaceStore, (store) => store.create({
    name: "ws", role: null, tier: 1, runtime: "external", parentId, workspaceDir: null, workspaceAccess: "none",
    deliveryMode: "poll", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
    event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
  })).pipe(Effect.map((c) => c.workspace.id))
