/**
 * The router's own 404 (no route matches: an unknown path, a method the path lacks, a segment over the router's 100
 * characters) has an empty body; every 4xx carries JSON (issue 15). It is answered inside the API (an API middleware):
 * the server writes a failure's answer before the edge chain sees it. The tenant guard's empty 404 is the edge's own.
 */
import { HttpApiBuilder, HttpServerError, HttpServerResponse } from "@effect/platform"
import { Cause, Effect } from "effect"
import { Api } from "../Api.js"

const routeNotFound = () => HttpServerResponse.unsafeJson({ error: "not found" }, { status: 404 })

export const layer = HttpApiBuilder.middleware(Api, (app) =>
  Effect.catchAllCause(app, (cause) => {
    const squashed = Cause.isInterruptedOnly(cause) ? undefined : Cause.squash(cause)
    return HttpServerError.isServerError(squashed) && squashed._tag === "RouteNotFound" ? Effect.succeed(routeNotFound()) : Effect.failCause(cause)
  }))
