/**
 * The A2A proxy's answers (§5.13) in upstream's words: the agent's own bytes and status when it succeeds, and for
 * each proxy refusal the body, status and headers (`Retry-After`) upstream's clients branch on. The refusals every
 * route shares (not found, removed, datastore) go through the one table, `CoreErrors`.
 */
import { HttpServerResponse } from "@effect/platform"
import type { A2aAnswer, Errors } from "@berth/core"
import { Effect } from "effect"

const reply = (status: number, body: Readonly<Record<string, unknown>>, headers: Readonly<Record<string, string>> = {}) =>
  Effect.succeed(HttpServerResponse.unsafeJson(body, { status, headers }))

/** The agent's 2xx answer, byte for byte, as JSON (upstream sets the content type whatever the agent said). */
export const forwarded = (answer: A2aAnswer) =>
  HttpServerResponse.text(answer.body, { status: answer.status, contentType: "application/json" })

/** Every proxy refusal as its response, for `Effect.catchTags`. */
export const refusals = {
  A2aCallerForged: (_: Errors.A2aCallerForged) => reply(403, { error: "invalid caller ID" }),
  A2aAccessDenied: (_: Errors.A2aAccessDenied) =>
    reply(403, { error: "access denied: workspaces cannot communicate per hierarchy rules" }),
  // upstream's caller-token words, not the registry's
  TokenRejected: (e: Errors.TokenRejected) =>
    reply(401, { error: e.presented ? "invalid caller auth token" : "missing caller auth token" }),
  A2aBodyTooLarge: (e: Errors.A2aBodyTooLarge) => reply(413, { error: "request body too large", limit_bytes: e.limitBytes }),
  BudgetExceeded: (_: Errors.BudgetExceeded) => reply(402, { error: "workspace budget limit exceeded" }),
  WorkspaceWaking: (e: Errors.WorkspaceWaking) => reply(503, {
    error: `workspace is waking from hibernation — retry in ~${e.retryAfterSeconds} seconds`,
    waking: true,
    retry_after: e.retryAfterSeconds
  }, { "retry-after": String(e.retryAfterSeconds) }),
  AgentUrlMissing: (e: Errors.AgentUrlMissing) => reply(503, { error: "workspace has no URL", status: e.status }),
  AgentUrlRefused: (_: Errors.AgentUrlRefused) => reply(502, { error: "workspace URL is not publicly routable" }),
  AgentBusy: (e: Errors.AgentBusy) => reply(503, {
    error: "workspace agent busy — retry after a short backoff",
    busy: true,
    retry_after: e.retryAfterSeconds
  }, { "retry-after": String(e.retryAfterSeconds) }),
  AgentUnreachable: (e: Errors.AgentUnreachable) => e.restarting
    ? reply(503, { error: "workspace agent unreachable — container restart triggered", restarting: true })
    : reply(502, { error: "failed to reach workspace agent" }),
  AgentResponseUnreadable: (e: Errors.AgentResponseUnreadable) =>
    reply(502, { error: "failed to read agent response", delivery_confirmed: e.deliveryConfirmed }),
  AgentAnsweredError: (e: Errors.AgentAnsweredError) => reply(e.status, { error: e.message })
} as const
