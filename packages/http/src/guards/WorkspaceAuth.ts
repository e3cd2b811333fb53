/**
 * WorkspaceAuth (§4.2) as an HttpApi middleware on routes under `/workspaces/:id`. It runs before the path is
 * decoded (the contract: guard first, then id validation), so it reads the raw `:id` from the route context.
 * It provides `Caller`: whether the request was org-authenticated (KI-005 needs it).
 */
import { HttpApiMiddleware, HttpRouter, HttpServerRequest } from "@effect/platform"
import { Tokens, WorkspaceId } from "@berth/core"
import { Context, Effect, Layer, Option, Schema } from "effect"

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { Unauthorized, UnauthorizedBody, UnavailableBody, datastoreUnavailable } from "../wire/Errors.js"
import { bearer, isAdminToken, sameOriginCanvas } from "./Credentials.js"

/** Who passed WorkspaceAuth. */
export class Caller extends Context.Tag("@berth/http/Caller")<Caller, {
  readonly orgAuthenticated: boolean
  readonly bearer: Option.Option<string>
}>() {}

export class WorkspaceAuth extends HttpApiMiddleware.Tag<WorkspaceAuth>()("@berth/http/WorkspaceAuth", {
  failure: Schema.Union(UnauthorizedBody, UnavailableBody),
  provides: Caller
}) {}

export const invalidToken = new Unauthorized({ error: "invalid workspace auth token" })
export const missingToken = new Unauthorized({ error: "missing workspace auth token" })

export const make = Effect.gen(function* () {
  const config = yield* EdgeConfig
  const tokens = yield* Tokens
  const devFailOpen = Option.isNone(config.adminToken) && config.devEnv
  const check = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const route = yield* HttpRouter.RouteContext
    const token = bearer(request.headers)
    if (Option.isNone(token)) {
      if (sameOriginCanvas(config.canvasProxy, request.headers) || devFailOpen) {
        return { orgAuthenticated: false, bearer: token }
      }
      return yield* Effect.fail(missingToken)
    }
    if (isAdminToken(config.adminToken, token.value)) return { orgAuthenticated: false, bearer: token }
    // A non-UUID id cannot hold a token: the bearer is invalid for it (id validation comes after the guard).
    const verdict = yield* tokens.judgeBearer(decodeId(route.params["id"] ?? ""), token.value)
    if (verdict === "invalid") return yield* Effect.fail(invalidToken)
    return { orgAuthenticated: verdict === "org", bearer: token }
  })
  return check.pipe(Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable)))
})

export const layer = Layer.effect(WorkspaceAuth, make)
