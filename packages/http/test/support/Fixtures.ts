/** Rows the HTTP tests need, written through the real repositories. */
import type { Errors } from "@berth/core"
import { AgentRegistrations, TokenRepository, WorkspaceId } from "@berth/core"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"

/** A fresh `online` workspace (the register upsert), returning its id. */
export const onlineWorkspace: Effect.Effect<WorkspaceId.WorkspaceId, Errors.DatastoreUnavailable, AgentRegistrations> = Effect.gen(function* () {
  const id = WorkspaceId.unsafeMake(randomUUID())
  yield* (yield* AgentRegistrations).register({
    id,
    url: null,
    agentCard: { name: "fixture" },
    deliveryMode: "poll",
    event: { type: "WORKSPACE_ONLINE", payload: { source: "register" } }
  })
  return id
})

/** A live workspace token for `id` (plaintext). */
export const tokenFor = (
  id: WorkspaceId.WorkspaceId
): Effect.Effect<string, Errors.DatastoreUnavailable | Errors.TokenLimitReached, TokenRepository> =>
  Effect.map(Effect.flatMap(TokenRepository, (t) => t.issue(id)), (issued) => issued.token)

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
