/**
 * `CanCommunicate(a, b)` (§4.5), the one hierarchy rule of who may talk to whom: the same workspace; siblings (same
 * parent, two roots included); or one an ancestor of the other (parent chains of at most 32 hops, as the
 * `WorkspaceHierarchy` port walks them). A datastore error answers false: refusing is the safe side.
 */
import { Effect } from "effect"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** The decision on two parent chains (nearest first). */
export const chainsRelated = (
  a: string,
  b: string,
  ancestorsOfA: ReadonlyArray<string>,
  ancestorsOfB: ReadonlyArray<string>
): boolean =>
  a === b ||
  (ancestorsOfA[0] ?? null) === (ancestorsOfB[0] ?? null) ||
  ancestorsOfA.includes(b) ||
  ancestorsOfB.includes(a)

export class Hierarchy extends Effect.Service<Hierarchy>()("@berth/core/Hierarchy", {
  effect: Effect.gen(function* () {
    const tree = yield* WorkspaceHierarchy

    /** Whether `a` may talk to `b`; never fails. */
    const canCommunicate = (a: WorkspaceId, b: WorkspaceId): Effect.Effect<boolean> =>
      a === b
        ? Effect.succeed(true) // no lookup for the common case
        : Effect.all([tree.ancestors(a), tree.ancestors(b)]).pipe(
          Effect.map(([chainA, chainB]) => chainsRelated(a, b, chainA.map((w) => w.id), chainB.map((w) => w.id))),
          Effect.orElseSucceed(() => false),
          Effect.withSpan("Hierarchy.canCommunicate")
        )

    return { canCommunicate } as const
  })
}) {}
