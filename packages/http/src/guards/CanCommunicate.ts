/** `CanCommunicate(a, b)` (§4.5) for the guards: core's hierarchy rule (`Hierarchy`), which never fails. */
import type { WorkspaceId } from "@berth/core"
import { Hierarchy } from "@berth/core"
import { Effect } from "effect"

export const canCommunicate = (
  a: WorkspaceId.WorkspaceId,
  b: WorkspaceId.WorkspaceId
): Effect.Effect<boolean, never, Hierarchy> =>
  Effect.flatMap(Hierarchy, (rule) => rule.canCommunicate(a, b))
