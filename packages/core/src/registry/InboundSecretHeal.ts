/**
 * Read-or-heal of the platform inbound secret (§9.3) for register and heartbeat: the known, cached or stored secret,
 * or a freshly issued one when none exists (logged). Any other failure yields None: the caller omits the field,
 * because liveness wins over the secret.
 */
import { Effect, Option } from "effect"
import type { InboundSecretCache } from "../lifecycle/InboundSecretCache.js"
import type { InboundSecretsShape } from "../ports/InboundSecrets.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

export const readOrHeal = (
  secrets: InboundSecretsShape,
  cache: InboundSecretCache,
  op: "register" | "heartbeat",
  id: WorkspaceId,
  /** A value the caller already read in its own statement (the heartbeat hot path), tried before the cache. */
  known: string | null = null
): Effect.Effect<Option.Option<string>> =>
  known !== null && known !== ""
    ? Effect.succeed(Option.some(known))
    : cache.get(id, secrets.readInboundSecret(id)).pipe(
      Effect.catchTag("NoInboundSecret", () =>
        secrets.issueInboundSecret(id).pipe(
          Effect.tap((issued) => cache.put(id, issued)),
          Effect.tap(() => Effect.logInfo(`${op}: lazy-healed platform_inbound_secret for ${id}`))
        )),
      Effect.map((secret) => (secret === "" ? Option.none<string>() : Option.some(secret))),
      Effect.catchAll((e) => Effect.as(Effect.logWarning(`${op}: platform_inbound_secret unavailable`, e), Option.none<string>()))
    )
