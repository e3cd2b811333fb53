/** Agents as the registry sees them (§5.11): they register once, then heartbeat with their token, over real HTTP. */
import { WorkspaceId } from "@berth/core"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { exchange, jsonOf } from "./Exchange.js"

export interface Agent {
  readonly id: WorkspaceId.WorkspaceId
  readonly token: string
}

/** Bootstrap register of a new workspace: the row is created `online` and the answer carries its first token. */
export const register = Effect.gen(function* () {
  const id = WorkspaceId.unsafeMake(randomUUID())
  const answer = yield* exchange({
    method: "POST",
    path: "/registry/register",
    body: JSON.stringify({ id, agent_card: { name: `agent-${id.slice(0, 8)}` }, delivery_mode: "poll" })
  })
  const body = jsonOf(answer) as { readonly auth_token?: string } | undefined
  if (answer.status !== 200 || body?.auth_token === undefined) {
    return yield* Effect.die(new Error(`register answered ${answer.status} ${answer.text}`))
  }
  return { id, token: body.auth_token } satisfies Agent
})

/** One heartbeat; the answer's status (200 when recorded). */
export const beat = (agent: Agent, sample: Readonly<Record<string, unknown>> = {}) =>
  Effect.map(
    exchange({
      method: "POST",
      path: "/registry/heartbeat",
      headers: { authorization: `Bearer ${agent.token}` },
      body: JSON.stringify({ workspace_id: agent.id, ...sample })
    }),
    (answer) => answer.status
  )
