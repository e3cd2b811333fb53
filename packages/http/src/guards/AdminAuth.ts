/**
 * AdminAuth (§4.3) as an HttpApi middleware: provided to the group layers that use it.
 */
import { HttpApiMiddleware, HttpServerRequest } from "@effect/platform"
import { TokenRepository } from "@berth/core"
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
  const tokens = yield* TokenRepository
  const adminSet = Option.isSome(config.adminToken)
  // The tiers that let a server without ADMIN_TOKEN be administered (§4.3), unless the operator closed them.
  const legacy = !adminSet && config.adminLegacyTiers
  const check = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    // 1. fresh install (no live workspace token anywhere, no ADMIN_TOKEN) and dev fail-open
    if (legacy) {
      if (config.devEnv) return
      if (!(yield* tokens.anyLive)) return
    }
    // 2. a bearer is required; cookies never authenticate
    const token = bearer(request.headers)
    if (Option.isNone(token)) return yield* Effect.fail(required)
    if (isAdminToken(config.adminToken, token.value)) return
    if (yield* tokens.validateOrg(token.value)) return
    // 3. without ADMIN_TOKEN, any live workspace token passes (deprecated tier)
    if (legacy && (yield* tokens.validateAny(token.value)) !== null) return
    return yield* Effect.fail(invalid)
  })
  return check.pipe(Effect.catchTag("DatastoreUnavailable", () => Effect.fail(datastoreUnavailable)))
})

export const layer = Layer.effect(AdminAuth, make)
