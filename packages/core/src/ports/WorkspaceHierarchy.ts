import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { Workspace, WorkspaceRef } from "./WorkspaceRecords.js"

/** The parent/child tree (§3.1 `parent_id`): children, descendants, direct family, ancestors. Datastore faults fail with `DatastoreUnavailable`. */
export interface WorkspaceHierarchyShape {
  /** Non-removed direct children (for the 409 of §5.5). */
  readonly children: (id: WorkspaceId) => Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /** Recursive descendants (root excluded); non-removed only unless `includeRemoved` (a delete retry, §5.5 rule 2). */
  readonly descendants: (id: WorkspaceId, includeRemoved: boolean) => Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
  /**
   * The direct family of `self` (peers, §5.11.1), non-removed rows with their layouts in creation order: those with
   * its parent (roots: the other roots), its children, and its parent.
   */
  readonly family: (self: Workspace) => Effect.Effect<ReadonlyArray<Workspace>, DatastoreUnavailable>
  /** The parent chain, nearest first, at most 32 hops (CanCommunicate, paused-ancestor checks). */
  readonly ancestors: (id: WorkspaceId) => Effect.Effect<ReadonlyArray<WorkspaceRef>, DatastoreUnavailable>
}

export class WorkspaceHierarchy extends Context.Tag("@berth/core/WorkspaceHierarchy")<WorkspaceHierarchy, WorkspaceHierarchyShape>() {}
