/** Handlers of the registry group (§5.11): decode, one `Registry` call, the route's error table. */
import { HttpApiBuilder } from "@effect/platform"
import { Registry } from "@berth/core"
import { Effect, Option } from "effect"
import { Api } from "../Api.js"
import { bearer } from "../guards/Credentials.js"
import { mapCoreErrors, onAgentUpdate, onRegister } from "../wire/CoreErrors.js"
import { beat, cardUpdate, registerRequest } from "../wire/RegistryRequests.js"

export const RegistryLive = HttpApiBuilder.group(Api, "registry", (handlers) =>
  Effect.gen(function* () {
    const registry = yield* Registry
    return handlers
      .handle("register", ({ payload, request }) =>
        Effect.flatMap(registerRequest(payload, request.headers), (r) =>
          registry.register(r).pipe(
            Effect.map((done) => ({
              status: "registered" as const,
              delivery_mode: done.deliveryMode,
              ...(Option.isSome(done.authToken) ? { auth_token: done.authToken.value } : {}),
              ...(Option.isSome(done.inboundSecret) ? { platform_inbound_secret: done.inboundSecret.value } : {})
            })),
            Effect.catchTags(onRegister), mapCoreErrors
          )))
      .handle("heartbeat", ({ payload, request }) =>
        Effect.flatMap(beat(payload, request.headers), (b) =>
          registry.heartbeat(b).pipe(
            Effect.map((done) => ({
              status: "ok" as const,
              ...(Option.isSome(done.inboundSecret) ? { platform_inbound_secret: done.inboundSecret.value } : {})
            })),
            Effect.catchTags(onAgentUpdate), mapCoreErrors
          )))
      .handle("updateCard", ({ payload, request }) =>
        Effect.flatMap(cardUpdate(payload), ({ id, agentCard }) =>
          registry.updateCard(id, agentCard, bearer(request.headers)).pipe(
            Effect.as({ status: "updated" as const }),
            Effect.catchTags(onAgentUpdate), mapCoreErrors
          )))
  }))
