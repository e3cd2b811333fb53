/**
 * `PATCH /workspaces/:id` (§5.4.1): the editable fields, each checked with create's validators (§5.2 rules 1, 2, 4,
 * 6, 7), plus the hierarchy's own rule for a new parent — it must exist, be live, and not be the workspace itself or
 * one of its descendants (a cycle). Nothing is written unless every present field is valid; a new parent records
 * `WORKSPACE_MOVED` with the row, published after commit.
 */
import { Effect, Option } from "effect"
import { InvalidInput } from "../domain/Errors.js"
import type { DatastoreUnavailable, InvalidWorkspaceId } from "../domain/Errors.js"
import * as Runtime from "../domain/Runtime.js"
import * as WorkspaceFields from "../domain/WorkspaceFields.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import * as WorkspaceIds from "../domain/WorkspaceId.js"
import { EventBus } from "../ports/EventBus.js"
import type { EventRecord, Workspace, WorkspaceChanges } from "../ports/WorkspaceRecords.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { invalidPayloadMessage } from "./CreateRequest.js"
import { requireLive } from "./LiveWorkspace.js"

/** What a PATCH body asks for, in the domain's words: absent fields are `undefined`, an explicit JSON null is `null`. */
export interface UpdateRequest {
  readonly name?: string | undefined
  readonly role?: string | null | undefined
  readonly tier?: number | undefined
  /** Raw: validated as a workspace id; null or "" makes the workspace a root. */
  readonly parentId?: string | null | undefined
  readonly runtime?: string | undefined
  readonly workspaceDir?: string | null | undefined
  /** The canvas position changes only when both come (upstream's rule). */
  readonly x?: number | undefined
  readonly y?: number | undefined
  readonly collapsed?: boolean | undefined
  /** Minutes without reported work before the idle sweep hibernates the workspace (§2.4); null: the server's default. */
  readonly hibernationIdleMinutes?: number | null | undefined
}

/** What the edit answers: a new host directory takes effect on the next restart. */
export interface Updated {
  readonly needsRestart: boolean
}

/** §5.4.1: the message of a parent that would make the workspace its own ancestor. */
export const parentCycleMessage = "parent_id would make the workspace its own ancestor"

/** `WORKSPACE_MOVED` `{old_parent_id,new_parent_id}` (upstream's documented event) when the parent really changes. */
export const movedEvent = (self: Workspace, changes: WorkspaceChanges): EventRecord | undefined =>
  changes.parentId === undefined || changes.parentId === self.parentId
    ? undefined
    : { type: "WORKSPACE_MOVED", payload: { old_parent_id: self.parentId, new_parent_id: changes.parentId } }

const fail = (message: string) => Effect.fail(new InvalidInput({ message }))

/** Builds the use case over its ports. */
export const make = Effect.gen(function* () {
  const store = yield* WorkspaceStore
  const tree = yield* WorkspaceHierarchy
  const allowlist = yield* Runtime.RuntimeAllowlist
  const bus = yield* EventBus

  /** Create's rule 7, then the cycle rule: the new parent is live and outside the workspace's own subtree. */
  const parentOf = (self: Workspace, raw: string | null) =>
    Effect.gen(function* () {
      if (raw === null || raw === "") return null
      const id = yield* WorkspaceIds.parse(raw)
      if (id === self.id) return yield* fail(parentCycleMessage)
      const row = yield* store.get(id)
      if (Option.isNone(row) || row.value.status === "removed") return yield* fail("parent workspace not found")
      const below = yield* tree.descendants(self.id, false)
      if (below.some((w) => w.id === id)) return yield* fail(parentCycleMessage)
      return id
    })

  /** Create's rule 4 without its silent fallback: an edit that names a runtime this server cannot run is refused. */
  const runtimeOf = (raw: string) => {
    const sanitized = Runtime.sanitizeRuntime(allowlist, raw)
    return sanitized.rejected ? fail("invalid workspace fields") : Effect.succeed(sanitized.runtime)
  }

  /** Every present field checked (create's validators); the changes to store. */
  const validated = (self: Workspace, r: UpdateRequest): Effect.Effect<WorkspaceChanges, InvalidInput | DatastoreUnavailable | InvalidWorkspaceId> =>
    Effect.gen(function* () {
      // rule 1: a workspace keeps a name
      if (r.name !== undefined && r.name === "") return yield* fail(invalidPayloadMessage)
      // rule 2: the shapes of name, role, runtime and tier
      yield* WorkspaceFields.validateFields({ name: r.name ?? "", role: r.role ?? "", runtime: r.runtime ?? "", tier: r.tier })
      // rule 6 against the row's access level (a directory its access needs cannot be cleared)
      const dir = r.workspaceDir === undefined ? undefined
        : (yield* WorkspaceFields.validateWorkspaceDir(r.workspaceDir ?? undefined, self.workspaceAccess)).dir ?? null
      const parentId = r.parentId === undefined ? undefined : yield* parentOf(self, r.parentId)
      const runtime = r.runtime === undefined ? undefined : yield* runtimeOf(r.runtime)
      const idle = yield* WorkspaceFields.validateIdleMinutes(r.hibernationIdleMinutes)
      return {
        name: r.name,
        role: r.role === undefined ? undefined : r.role === "" ? null : r.role,
        tier: r.tier === undefined ? undefined : WorkspaceFields.normaliseTier(r.tier),
        parentId,
        runtime,
        workspaceDir: dir,
        position: r.x !== undefined && r.y !== undefined ? { x: r.x, y: r.y } : undefined,
        collapsed: r.collapsed,
        hibernationIdleMinutes: idle
      } satisfies WorkspaceChanges
    })

  /** Fails `WorkspaceNotFound`/`WorkspaceRemoved`, `InvalidInput`, `InvalidWorkspaceId` (a parent that is no id). */
  return (id: WorkspaceId, request: UpdateRequest) =>
    Effect.gen(function* () {
      const self = yield* requireLive(store, id)
      const changes = yield* validated(self, request)
      const recorded = yield* store.update(id, changes, movedEvent(self, changes)).pipe(
        Effect.tapError((e) => Effect.logError("update: write failed", e))
      )
      yield* Option.match(recorded, { onNone: () => Effect.void, onSome: bus.publish })
      return { needsRestart: request.workspaceDir !== undefined } satisfies Updated
    })
})
