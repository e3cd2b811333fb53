/**
 * HttpApi answers an undecodable request with its own `HttpApiDecodeError` body; the contract wants
 * `400 {"error": "<message>"}` (§0). Request schemas carry the contract's messages, so the first issue's message is
 * the body. A body that is not JSON at all dies inside HttpApi (`RequestError` with reason `Decode`): also a 400,
 * with the route's message for a bad body (`bodyMessage` on its payload schema), else `invalid request body`.
 */
import { HttpApi, HttpApiBuilder, HttpApiError, HttpServerError, HttpServerRequest } from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import { Api } from "../Api.js"
import { pathOf } from "../edge/Edge.js"
import * as RouteTemplates from "../edge/RouteTemplates.js"
import { BadRequest } from "./Errors.js"
import { BodyMessageId } from "./Payloads.js"

/** The contract's message for a request body that is not JSON. */
export const invalidRequestBody = "invalid request body"

/** `"POST /workspaces"` → the message its payload declares with `bodyMessage`. */
const declaredMessages = (): ReadonlyMap<string, string> => {
  const messages = new Map<string, string>()
  HttpApi.reflect(Api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      const declared = Option.flatMap(endpoint.payloadSchema, (s) => Option.fromNullable(s.ast.annotations[BodyMessageId]))
      if (Option.isSome(declared) && typeof declared.value === "string") messages.set(`${endpoint.method} ${endpoint.path}`, declared.value)
    }
  })
  return messages
}

export const toBadRequest = (squashed: unknown, notJson: string = invalidRequestBody): BadRequest | undefined => {
  if (squashed instanceof HttpApiError.HttpApiDecodeError) {
    return new BadRequest({ error: squashed.issues[0]?.message ?? squashed.message })
  }
  if (HttpServerError.isServerError(squashed) && squashed._tag === "RequestError" && squashed.reason === "Decode") {
    return new BadRequest({ error: notJson })
  }
  return undefined
}

export const layer = HttpApiBuilder.middleware(Api, (app) => {
  const templateOf = RouteTemplates.fromApi(Api)
  const messages = declaredMessages()
  return Effect.catchAllCause(app, (cause) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const notJson = messages.get(`${request.method} ${templateOf(pathOf(request.url))}`) ?? invalidRequestBody
      const bad = Cause.isInterruptedOnly(cause) ? undefined : toBadRequest(Cause.squash(cause), notJson)
      return yield* (bad === undefined ? Effect.failCause(cause) : Effect.fail(bad))
    }))
})
