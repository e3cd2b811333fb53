/**
 * `CanCommunicate(a, b)` (§4.5): the same workspace; siblings (same parent, two roots included); or one an ancestor
 * of the other (parent chains of at most 32 hops, as the repository walks them). A datastore error answers false.
 */
import type { WorkspaceId } from "@berth/core"
import { WorkspaceRepository } from "@berth/core"
import { Effect } from "effect"

/** The decision on two parent chains (nearest first). */
export const related = (
  a: string,
  b: string,
  ancestorsOfA: ReadonlyArray<string>,
  ancestorsOfB: ReadonlyArray<string>
): boolean =>
  a === b ||
  (ancestorsOfA[0] ?? null) === (ancestorsOfB[0] ?? null) ||
  ancestorsOfA.includes(b) ||
  ancestorsOfB.includes(a)

export const canCommunicate = (
  a: WorkspaceId.WorkspaceId,
  b: WorkspaceId.WorkspaceId
): Effect.Effect<boolean, never, WorkspaceRepository> =>
  a === b
    ? Effect.succeed(true)
    : Effect.gen(function* () {
      const workspaces = yield* WorkspaceRepository
      const [chainA, chainB] = yield* Effect.all([workspaces.ancestors(a), workspaces.ancestors(b)])
      return related(a, b, chainA.map((w) => w.id), chainB.map((w) => w.id))
    }).pipe(Effect.orElseSucceed(() => false))
