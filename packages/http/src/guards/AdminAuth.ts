/**
 * AdminAuth (§4.3) as an HttpApi middleware: provided to the group layers that use it.
 */
import { HttpApiMiddleware, HttpServerRequest } from "@effect/platform"
import { Tokens } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { Unauthorized, UnauthorizedBody, UnavailableBody, datastoreUnavailable } from "../wire/Errors.js"
import { bearer, isAdminToken } from "./Credentials.js"

export class AdminAuth extends HttpApiMiddleware.Tag<AdminAuth>()("@berth/http/AdminAuth", {
  failure: Schema.Union(UnauthorizedBody, UnavailableBody)
}) {}

const required = new Unauthorized({ error: "admin auth required" })
const invalid = new Unauthorized({ error: "invalid admin auth token" })

export const make = Effect.gen(function* () {
  const config = yield* EdgeConfig
  const tokens = yield* Tokens
  const adminTokenSet = Option.isSome(config.adminToken)
  // The tiers of §4.3 are core's; comparing with ADMIN_TOKEN stays here, with the setting.
  const check = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const token = bearer(request.headers)
    const verdict = yield* tokens.judgeAdmin({
      adminTokenSet,
      legacyTiers: config.adminLegacyTiers,
      devEnv: config.devEnv,
      bearer: token,
      bearerIsAdminToken: Option.isSome(token) && isAdminToken(config.adminToken, token.value)
    })
    if (verdict === "required") return yield* Effect.fail(required)
    if (verdict === "invalid") return yield* Effect.fail(invalid)
  })
  return check.pipe(Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable)))
})

export const layer = Layer.effect(AdminAuth, make)
