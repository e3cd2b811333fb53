/**
 * Read-or-heal of the platform inbound secret (§9.3) for register and heartbeat: the cached or stored secret, or a
 * freshly issued one when none exists (logged). Any other failure yields None: the caller omits the field, because
 * liveness wins over the secret.
 */
import type { WorkspaceId } from "@berth/core"
import { InboundSecretCache, WorkspaceRepository } from "@berth/core"
import { Effect, Option } from "effect"

export const readOrHeal = (
  op: "register" | "heartbeat",
  id: WorkspaceId.WorkspaceId,
  /** A value the caller already read in its own statement (the heartbeat hot path), tried before the cache. */
  known: string | null = null
): Effect.Effect<Option.Option<string>, never, WorkspaceRepository | InboundSecretCache> =>
  Effect.gen(function* () {
    const cache = yield* InboundSecretCache
    const workspaces = yield* WorkspaceRepository
    if (known !== null && known !== "") return Option.some(known)
    const secret = yield* cache.get(id, workspaces.readInboundSecret(id)).pipe(
      Effect.catchTag("NoInboundSecret", () =>
        workspaces.issueInboundSecret(id).pipe(
          Effect.tap((issued) => cache.put(id, issued)),
          Effect.tap(() => Effect.logInfo(`${op}: lazy-healed platform_inbound_secret for ${id}`))
        ))
    )
    return secret === "" ? Option.none() : Option.some(secret)
  }).pipe(
    Effect.catchAll((e) => Effect.as(Effect.logWarning(`${op}: platform_inbound_secret unavailable`, e), Option.none()))
  )
