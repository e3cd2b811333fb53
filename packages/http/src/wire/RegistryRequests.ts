/**
 * Decoding of registry bodies (§5.11) into core's requests, with the contract's 400s in its order: a missing field or
 * a card that is not an object → `invalid request body`; a non-UUID id → `invalid workspace ID`; then the delivery
 * mode. The payload schemas are loose on purpose (see `groups/Registry.ts`), so these checks are the real decode.
 */
import type { Beat, RegisterRequest } from "@berth/core"
import { WorkspaceId } from "@berth/core"
import { Effect, Option, Schema } from "effect"
import type { HeartbeatPayload, RegisterPayload, UpdateCardPayload } from "../groups/Registry.js"
import { isCard } from "../groups/Registry.js"
import { bearer } from "../guards/Credentials.js"
import type { RequestHeaders } from "../guards/Credentials.js"
import { BadRequest, invalidRequestBody, invalidWorkspaceId } from "./Errors.js"

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

/** A body id: missing → invalid request body; not UUID-shaped → invalid workspace ID. */
export const bodyId = (raw: string | undefined): Effect.Effect<WorkspaceId.WorkspaceId, BadRequest> =>
  raw === undefined || raw === ""
    ? Effect.fail(invalidRequestBody)
    : Option.match(decodeId(raw), { onNone: () => Effect.fail(invalidWorkspaceId), onSome: Effect.succeed })

const badMode = new BadRequest({ error: "delivery_mode must be 'push' or 'poll'" })

export const registerRequest = (
  payload: typeof RegisterPayload.Type,
  headers: RequestHeaders
): Effect.Effect<RegisterRequest, BadRequest> =>
  Effect.gen(function* () {
    // `id` wins over its alias `workspace_id`
    const rawId = payload.id !== undefined && payload.id !== "" ? payload.id : payload.workspace_id
    if (rawId === undefined || rawId === "" || !isCard(payload.agent_card)) return yield* Effect.fail(invalidRequestBody)
    const id = yield* bodyId(rawId)
    const requested = payload.delivery_mode ?? ""
    if (requested !== "" && requested !== "push" && requested !== "poll") return yield* Effect.fail(badMode)
    return {
      id,
      agentCard: payload.agent_card,
      url: payload.url ?? null,
      deliveryMode: requested === "" ? Option.none() : Option.some(requested),
      bearer: bearer(headers)
    }
  })

export const beat = (payload: typeof HeartbeatPayload.Type, headers: RequestHeaders): Effect.Effect<Beat, BadRequest> =>
  Effect.map(bodyId(payload.workspace_id), (id) => ({
    id,
    bearer: bearer(headers),
    errorRate: payload.error_rate,
    sampleError: payload.sample_error,
    activeTasks: payload.active_tasks,
    uptimeSeconds: payload.uptime_seconds,
    currentTask: payload.current_task,
    monthlySpend: payload.monthly_spend,
    runtimeState: payload.runtime_state,
    capabilities: payload.runtime_metadata?.capabilities
  }))

export const cardUpdate = (payload: typeof UpdateCardPayload.Type) =>
  isCard(payload.agent_card)
    ? Effect.map(bodyId(payload.workspace_id), (id) => ({ id, agentCard: payload.agent_card }))
    : Effect.fail(invalidRequestBody)
