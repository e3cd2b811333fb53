/**
 * HttpApi answers an undecodable request with its own `HttpApiDecodeError` body; the contract wants
 * `400 {"error": "<message>"}` (§0). Request schemas carry the contract's messages, so the first issue's message is
 * the body. A body that is not JSON at all dies inside HttpApi (`RequestError` with reason `Decode`): also a 400,
 * with the route's message for a bad body (`bodyMessage` on its payload schema), else `invalid request body`.
 */
import { HttpApiBuilder, HttpApiError, HttpServerError, HttpServerRequest } from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import type { ParseResult } from "effect"
import { Api } from "../Api.js"
import { pathOf } from "../edge/Edge.js"
import * as RouteTemplates from "../edge/RouteTemplates.js"
import { BadRequest } from "./Errors.js"
import { declaredBodies, firstIssue } from "./BodyMessages.js"

/** The contract's message for a request body that is not JSON. */
export const invalidRequestBody = "invalid request body"

/** What a decode issue says was wrong, in words a client can act on (the issue's own message is the contract's). */
const wrong: Readonly<Record<string, string>> = {
  Missing: "is required",
  Type: "has the wrong type",
  Refinement: "has a value that is not allowed",
  Transformation: "has a value that is not allowed",
  Unexpected: "is not allowed here",
  Forbidden: "could not be checked",
  Composite: "has a value that is not allowed"
}

/** `name is required`, `name has the wrong type`, or `body …` when the issue is about the whole body. */
export const detailOf = (issue: Pick<ParseResult.ArrayFormatterIssue, "_tag" | "path">): string => {
  const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".")
  return `${field} ${wrong[issue._tag] ?? "has a value that is not allowed"}`
}

export const toBadRequest = (squashed: unknown, notJson: string = invalidRequestBody): BadRequest | undefined => {
  if (squashed instanceof HttpApiError.HttpApiDecodeError) {
    const issue = squashed.issues[0]
    return new BadRequest({ error: issue?.message ?? squashed.message, ...(issue === undefined ? {} : { detail: detailOf(issue) }) })
  }
  if (HttpServerError.isServerError(squashed) && squashed._tag === "RequestError" && squashed.reason === "Decode") {
    const cause = squashed.cause instanceof Error ? `: ${squashed.cause.message}` : ""
    return new BadRequest({ error: notJson, detail: `body is not valid JSON${cause}` })
  }
  return undefined
}

export const layer = HttpApiBuilder.middleware(Api, (app) => {
  const templateOf = RouteTemplates.fromApi(Api)
  const bodies = declaredBodies()
  return Effect.catchAllCause(app, (cause) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const declared = bodies.get(`${request.method} ${templateOf(pathOf(request.url))}`)
      const bad = Cause.isInterruptedOnly(cause) ? undefined : toBadRequest(Cause.squash(cause), declared?.message)
      if (bad === undefined) return yield* Effect.failCause(cause)
      // A payload with one message for every failure folds its issues into one at the root: decode the (cached)
      // body again without that message to name the field.
      if (declared !== undefined && bad.detail?.startsWith("body ") === true && !bad.detail.startsWith("body is not valid JSON")) {
        const body = yield* Effect.option(request.json)
        const issue = Option.isSome(body) ? firstIssue(declared.plain, body.value) : undefined
        if (issue !== undefined) return yield* Effect.fail(new BadRequest({ error: bad.error, detail: detailOf(issue) }))
      }
      return yield* Effect.fail(bad)
    }))
})
