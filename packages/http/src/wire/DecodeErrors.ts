/**
 * HttpApi answers an undecodable request with its own `HttpApiDecodeError` body; the contract wants
 * `400 {"error": "<message>"}` (§0). Request schemas carry the contract's messages, so the first issue's message is
 * the body. A body that is not JSON at all dies inside HttpApi (`RequestError` with reason `Decode`): also a 400.
 */
import { HttpApiBuilder, HttpApiError, HttpServerError } from "@effect/platform"
import { Cause, Effect } from "effect"
import { Api } from "../Api.js"
import { BadRequest } from "./Errors.js"

/** The contract's message for a request body that is not JSON. */
export const invalidRequestBody = "invalid request body"

export const toBadRequest = (squashed: unknown): BadRequest | undefined => {
  if (squashed instanceof HttpApiError.HttpApiDecodeError) {
    return new BadRequest({ error: squashed.issues[0]?.message ?? squashed.message })
  }
  if (HttpServerError.isServerError(squashed) && squashed._tag === "RequestError" && squashed.reason === "Decode") {
    return new BadRequest({ error: invalidRequestBody })
  }
  return undefined
}

export const layer = HttpApiBuilder.middleware(Api, (app) =>
  Effect.catchAllCause(app, (cause) => {
    const bad = Cause.isInterruptedOnly(cause) ? undefined : toBadRequest(Cause.squash(cause))
    return bad === undefined ? Effect.failCause(cause) : Effect.fail(bad)
  }))
