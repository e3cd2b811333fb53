/**
 * The paused-ancestor rule (§5.6 rule 1, §5.6 auto-restart skip rules): nothing is (re)started under a `paused`
 * ancestor. One module so restart, auto-restart and create cannot disagree on it.
 */
import { Effect, Option } from "effect"
import { AncestorPaused } from "../domain/Errors.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import type { WorkspaceRef } from "../ports/WorkspaceRecords.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** The nearest `paused` ancestor of a parent chain (nearest first, as `WorkspaceHierarchy.ancestors` gives it). */
export const pausedAncestor = <A extends Pick<WorkspaceRef, "status" | "name">>(ancestors: ReadonlyArray<A>): Option.Option<A> =>
  Option.fromNullable(ancestors.find((a) => a.status === "paused"))

/** Fails with `AncestorPaused` when an ancestor of `id` is paused. */
export const ensureNoPausedAncestor = (
  id: WorkspaceId
): Effect.Effect<void, AncestorPaused | DatastoreUnavailable, WorkspaceHierarchy> =>
  Effect.gen(function* () {
    const paused = pausedAncestor(yield* (yield* WorkspaceHierarchy).ancestors(id))
    if (Option.isSome(paused)) return yield* Effect.fail(new AncestorPaused({ id, ancestorName: paused.value.name }))
  })
