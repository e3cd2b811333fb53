/**
 * The registry token gate (§4.4) for `/registry/register`, `/heartbeat` and `/update-card`. It is keyed by the
 * workspace id in the BODY, so it is a function the registry handlers call after decoding, not a route middleware.
 * The heartbeat hot path has the repository judge the bearer inside its batched statement and only maps the
 * verdict here (`rejection`).
 */
import type { WorkspaceId } from "@berth/core"
import { TokenRepository } from "@berth/core"
import { Effect, Option } from "effect"
import type { Unauthorized } from "../wire/Errors.js"
import { bearer } from "./Credentials.js"
import type { RequestHeaders } from "./Credentials.js"
import { invalidToken, missingToken } from "./WorkspaceAuth.js"

/** What the gate decided; `bootstrap` = the workspace holds no live token (register will mint one). */
export type GateOutcome = "bootstrap" | "authenticated" | "checkFailed"

/** The contract's 401 for a workspace holding a live token that the request did not present. */
export const rejection = (token: Option.Option<string>): Unauthorized => (Option.isNone(token) ? missingToken : invalidToken)

/** Fails with the contract's 401s; a failing live-token check lets the call through, logged (liveness beats strictness). */
export const registryGate = (
  id: WorkspaceId.WorkspaceId,
  headers: RequestHeaders
): Effect.Effect<GateOutcome, Unauthorized, TokenRepository> =>
  Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const token = bearer(headers)
    // An agent presenting its live token costs one statement (validate also stamps a stale last_used_at).
    if (Option.isSome(token) && (yield* tokens.validate(id, token.value))) return "authenticated" as const
    if (!(yield* tokens.hasLive(id))) return "bootstrap" as const
    return yield* Effect.fail(rejection(token))
  }).pipe(
    Effect.catchTag("DatastoreUnavailable", (e) =>
      Effect.as(Effect.logWarning("registry token gate: live-token check failed; allowing", e), "checkFailed" as const)),
    Effect.annotateLogs("workspace_id", id)
  )
