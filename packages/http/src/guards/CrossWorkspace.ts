/**
 * The KI-005 cross-workspace guard (§4.5) for `/workspaces/:id/terminal` and `/terminal/diagnose`: when a caller
 * claims another workspace with `X-Workspace-ID`, its bearer must belong to that claimed workspace (unless the request
 * is org-authenticated), and the two must be allowed to talk (`CanCommunicate`). The route handler calls it first,
 * before reading anything about the target; the 403 message is the route's.
 */
import { Tokens, WorkspaceId } from "@berth/core"
import { Effect, Option, Schema } from "effect"
import type { Unavailable } from "../wire/Errors.js"
import { Forbidden, Unauthorized, datastoreUnavailable } from "../wire/Errors.js"
import { canCommunicate } from "./CanCommunicate.js"
import type { RequestHeaders } from "./Credentials.js"
import type { Caller } from "./WorkspaceAuth.js"

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

export const invalidClaim = new Unauthorized({ error: "invalid token for claimed workspace" })

export const crossWorkspaceGuard = (
  target: WorkspaceId.WorkspaceId,
  headers: RequestHeaders,
  caller: Caller["Type"],
  forbiddenMessage: string
): Effect.Effect<void, Unauthorized | Forbidden | Unavailable, Tokens | Effect.Effect.Context<ReturnType<typeof canCommunicate>>> =>
  Effect.gen(function* () {
    const claimedRaw = headers["x-workspace-id"]
    if (claimedRaw === undefined || claimedRaw === "" || claimedRaw.toLowerCase() === target) return
    const claimed = decodeId(claimedRaw)
    if (Option.isSome(caller.bearer) && !caller.orgAuthenticated) {
      const bearer = caller.bearer.value
      const valid = Option.isSome(claimed) &&
        (yield* Effect.flatMap(Tokens, (t) => t.belongsTo(claimed.value, bearer)).pipe(
          Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable))
        ))
      if (!valid) return yield* Effect.fail(invalidClaim)
    }
    const allowed = Option.isSome(claimed) && (yield* canCommunicate(claimed.value, target))
    if (!allowed) return yield* Effect.fail(new Forbidden({ error: forbiddenMessage }))
  })
