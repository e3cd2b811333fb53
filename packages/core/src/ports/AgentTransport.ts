/**
 * Port: one POST to an agent's A2A endpoint (§5.13), bounded in time and in the size of the answer read. Redirects are
 * not followed (A2A does not use them). The adapter classifies what went wrong; the proxy decides what it means.
 */
import type { Effect } from "effect"
import { Context, Data } from "effect"

export interface AgentCall {
  readonly url: string
  /** The JSON-RPC envelope, sent as `application/json`. */
  readonly body: string
  readonly timeoutMillis: number
  readonly maxResponseBytes: number
}

export interface AgentAnswer {
  readonly status: number
  /** The canonical reason phrase of `status` (not the agent's own). */
  readonly statusText: string
  readonly body: string
}

/**
 * - `timeout`: no whole answer within the time; `dropped`: the connection was reset or closed early — both mean busy.
 * - `refused`: nothing listens, or the host is unknown. `unreadable`: headers came (`status`), the body did not (or
 *   was too large). `invalid`: the request could not be built.
 */
export class AgentCallFailed extends Data.TaggedError("AgentCallFailed")<{
  readonly kind: "timeout" | "dropped" | "refused" | "unreadable" | "invalid"
  readonly message: string
  readonly status?: number
}> {}

export class AgentTransport extends Context.Tag("@berth/core/AgentTransport")<AgentTransport, {
  readonly post: (call: AgentCall) => Effect.Effect<AgentAnswer, AgentCallFailed>
}>() {}
