/** Handlers of the registry group (§5.11); register and heartbeat live in their own modules. */
import { HttpApiBuilder } from "@effect/platform"
import type { AgentUrl } from "@berth/core"
import { EventBus, WorkspaceRepository } from "@berth/core"
import { Effect, Option } from "effect"
import { Api } from "../Api.js"
import { isCard } from "../groups/Registry.js"
import { registryGate } from "../guards/RegistryGate.js"
import { Internal, invalidRequestBody, workspaceNotFound } from "../wire/Errors.js"
import { heartbeat } from "./RegistryHeartbeat.js"
import { bodyId, register } from "./RegistryRegister.js"

/** The URL check of register resolves agent host names (§9.6). */
export type Requires = AgentUrl.HostResolver

const updateFailed = new Internal({ error: "failed to update" })

export const RegistryLive = HttpApiBuilder.group(Api, "registry", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* WorkspaceRepository
    const bus = yield* EventBus
    return handlers
      .handle("register", ({ payload, request }) => register(payload, request))
      .handle("heartbeat", ({ payload, request }) => heartbeat(payload, request))
      .handle("updateCard", ({ payload, request }) =>
        Effect.gen(function* () {
          if (!isCard(payload.agent_card)) return yield* Effect.fail(invalidRequestBody)
          const id = yield* bodyId(payload.workspace_id)
          yield* registryGate(id, request.headers)
          const recorded = yield* workspaces.updateCard(id, payload.agent_card, {
            type: "AGENT_CARD_UPDATED",
            payload: { agent_card: payload.agent_card }
          }).pipe(Effect.orElseFail(() => updateFailed))
          if (Option.isNone(recorded)) return yield* Effect.fail(workspaceNotFound)
          yield* bus.publish(recorded.value)
          return { status: "updated" as const }
        }))
  }))
