/**
 * The global middleware chain, in the contract's order (§4): CORS → per-IP rate limit → metrics → TenantGuard →
 * security headers → (route guards, inside the API). It wraps the whole app, so preflights, unknown paths,
 * `/openapi.json` and `/docs` pass through it too.
 */
import { Headers, HttpApp, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Context, Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import { EdgeConfig } from "./EdgeConfig.js"
import { HttpMetrics } from "./HttpMetrics.js"
import * as RateLimit from "./RateLimit.js"
import * as InputChecks from "./InputChecks.js"
import { declaredBodyMessages } from "../wire/BodyMessages.js"
import * as RouteTemplates from "./RouteTemplates.js"
import * as TenantGuard from "./TenantGuard.js"

export class EdgeChain extends Context.Tag("@berth/http/EdgeChain")<EdgeChain, {
  readonly apply: <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>
}>() {}

const securityHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY"
}

// An empty body, not JSON: tenant existence must not leak (§4.1).
const tenantNotFound = HttpServerResponse.empty({ status: 404 })
const rateLimited = HttpServerResponse.unsafeJson({ error: "rate limit exceeded" }, { status: 429 })

export const make = Effect.gen(function* () {
  const config = yield* EdgeConfig
  const limiter = yield* RateLimit.RateLimiter
  const metrics = yield* HttpMetrics
  const templateOf = RouteTemplates.fromApi(Api)
  const bodyMessages = declaredBodyMessages()
  const cors = HttpMiddleware.cors({
    allowedOrigins: config.corsOrigins,
    allowedMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    // Idempotency-Key and X-Next-Cursor are Berth additions (create retries, cursor pages): browsers may send the one
    // and read the other.
    allowedHeaders: ["Origin", "Content-Type", "X-Workspace-ID", "Authorization", "Idempotency-Key"],
    exposedHeaders: ["X-Next-Cursor"],
    credentials: true
  })

  const apply = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
    const guarded = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = pathOf(request.url)
      // rate limit: the TCP peer only; proxy headers are not trusted for it
      if (!RateLimit.exempt(path)) {
        const ip = Option.getOrElse(request.remoteAddress, () => "unknown")
        if (!(yield* limiter.take(ip))) return rateLimited
      }
      // metrics: the final response (errors included) is seen by a pre-response handler
      const started = yield* Clock.currentTimeMillis
      yield* HttpApp.appendPreResponseHandler((_, response) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.as(
            metrics.record({ method: request.method, path: templateOf(path), status: response.status, seconds: (now - started) / 1000 }),
            response
          )))
      if (!TenantGuard.allows(config, path, request.headers)) return tenantNotFound
      yield* HttpApp.appendPreResponseHandler((_, response) =>
        Effect.succeed(HttpServerResponse.setHeaders(response, securityHeaders)))
      const effective = asJsonRequest(request)
      const route = `${request.method} ${templateOf(path)}`
      const refused = yield* InputChecks.check(effective, route, bodyMessages.get(route) ?? "invalid request body")
      if (Option.isSome(refused)) return refused.value
      return yield* (effective === request ? app : Effect.provideService(app, HttpServerRequest.HttpServerRequest, effective))
    })
    return cors(guarded)
  }
  return EdgeChain.of({ apply })
})

/**
 * Bodies are JSON whatever their Content-Type says (§0): upstream binds every body as JSON, and operator scripts
 * (`curl -d`) send `application/x-www-form-urlencoded`. HttpApi picks the body parser from the header, so the
 * request is handed on with a JSON content type.
 */
export const asJsonRequest = (request: HttpServerRequest.HttpServerRequest): HttpServerRequest.HttpServerRequest => {
  const type = request.headers["content-type"]
  if (type === undefined || type.toLowerCase().includes("json")) return request
  return request.modify({ headers: Headers.set(request.headers, "content-type", "application/json") })
}

/** The path of a request URL (no query string). */
export const pathOf = (url: string): string => {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

/** For `HttpApiBuilder.serve`: the chain around the whole app. */
export const middleware = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.flatMap(EdgeChain, (chain) => chain.apply(app))

export const layer = Layer.effect(EdgeChain, make).pipe(
  Layer.provide(RateLimit.layer)
)
