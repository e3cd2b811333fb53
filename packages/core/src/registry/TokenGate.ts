/**
 * The registry token gate (§4.4): who may register, beat or update a card for a workspace, and who may claim one.
 * A workspace holding no live token lets anyone through (the bootstrap register mints its first token); one holding
 * a live token admits only that token. The gate is keyed by the workspace id in the request BODY, so drivers call it
 * after decoding, never as a route middleware.
 */
import { Effect, Option } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { TokenRejected } from "../domain/Errors.js"
import type { HeartbeatGate } from "../ports/WorkspaceRecords.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** What the gate decided; `bootstrap` = the workspace holds no live token (register then mints one). */
export type GateAdmission = "bootstrap" | "authenticated" | "checkFailed"

/** The refusal for a workspace holding a live token that `bearer` is not. */
export const tokenRejection = (id: WorkspaceId, bearer: Option.Option<string>): TokenRejected =>
  new TokenRejected({ workspaceId: id, presented: Option.isSome(bearer) })

/**
 * The gate without its fail-open: a workspace holding a live token admits only that token, and a failing lookup
 * fails `DatastoreUnavailable` (routes that hand out secret values must fail closed, §5.8).
 */
export const admitStrictly = (
  tokens: TokenRepository["Type"],
  id: WorkspaceId,
  bearer: Option.Option<string>
): Effect.Effect<GateAdmission, TokenRejected | DatastoreUnavailable> =>
  Effect.gen(function* () {
    // An agent presenting its live token costs one statement (validate also stamps a stale last_used_at).
    if (Option.isSome(bearer) && (yield* tokens.validate(id, bearer.value))) return "authenticated" as const
    if (!(yield* tokens.hasLive(id))) return "bootstrap" as const
    return yield* Effect.fail(tokenRejection(id, bearer))
  })

export class TokenGate extends Effect.Service<TokenGate>()("@berth/core/TokenGate", {
  effect: Effect.gen(function* () {
    const tokens = yield* TokenRepository

    /** Admits or fails `TokenRejected`; a failing live-token check lets the call through, logged (liveness beats strictness). */
    const admit = Effect.fn("TokenGate.admit")(
      function* (id: WorkspaceId, bearer: Option.Option<string>) {
        return yield* admitStrictly(tokens, id, bearer)
      },
      (effect, id) =>
        effect.pipe(
          Effect.catchTag("DatastoreUnavailable", (e) =>
            Effect.as(Effect.logWarning("registry token gate: live-token check failed; allowing", e), "checkFailed" as const)),
          Effect.annotateLogs("workspace_id", id)
        )
    )

    /** The heartbeat hot path judges the bearer inside its own batched statement; this turns that verdict into the gate's answer. */
    const judge = (id: WorkspaceId, verdict: HeartbeatGate, bearer: Option.Option<string>): Effect.Effect<void, TokenRejected> =>
      verdict === "rejected" ? Effect.fail(tokenRejection(id, bearer)) : Effect.void

    return { admit, judge } as const
  })
}) {}
