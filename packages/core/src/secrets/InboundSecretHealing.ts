/**
 * Read-or-heal of the platform inbound secret (§9.3) for register and heartbeat: the known, cached or stored
 * secret, or a freshly issued one when none exists (logged). Any other failure yields None: the caller omits the
 * field, because liveness wins over the secret.
 */
import { Effect, Option } from "effect"
import { InboundSecretCache } from "../InboundSecretCache.js"
import { InboundSecrets } from "../ports/WorkspaceRepository.js"
import type { WorkspaceId } from "../WorkspaceId.js"

export class InboundSecretHealing extends Effect.Service<InboundSecretHealing>()("@berth/core/InboundSecretHealing", {
  effect: Effect.gen(function* () {
    const cache = yield* InboundSecretCache
    const store = yield* InboundSecrets

    /** `known`: a value the caller already read in its own statement (the heartbeat hot path), tried first. */
    const readOrHeal = Effect.fn("InboundSecretHealing.readOrHeal")(function* (
      op: "register" | "heartbeat",
      id: WorkspaceId,
      known: string | null = null
    ) {
      if (known !== null && known !== "") return Option.some(known)
      const secret = yield* cache.get(id, store.readInboundSecret(id)).pipe(
        Effect.catchTag("NoInboundSecret", () =>
          store.issueInboundSecret(id).pipe(
            Effect.tap((issued) => cache.put(id, issued)),
            Effect.tap(() => Effect.logInfo(`${op}: lazy-healed platform_inbound_secret for ${id}`))
          ))
      )
      return secret === "" ? Option.none<string>() : Option.some(secret)
    }, (effect, op) =>
      effect.pipe(
        Effect.catchAll((e) => Effect.as(Effect.logWarning(`${op}: platform_inbound_secret unavailable`, e), Option.none<string>()))
      ))

    return { readOrHeal } as const
  })
}) {}
