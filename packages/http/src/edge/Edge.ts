/**
 * The global middleware chain, in the contract's order (§4), inside the access log (`AccessLog`): CORS → per-IP rate limit → metrics → TenantGuard →
 * security headers → (route guards, inside the API). It wraps the whole app, so preflights, unknown paths,
 * `/openapi.json` and `/docs` pass through it too.
 */
import { Headers, HttpApp, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Context, Effect, Layer, Option } from "effect"
import type { Fiber } from "effect"
import { Api } from "../Api.js"
import * as AccessLog from "./AccessLog.js"
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

  const accessLog = AccessLog.middleware(config.slowRequestMs)
  // The chain is built once per app (the server hands the same app on every request), not once per request.
  const built = new WeakMap<object, HttpApp.Default<unknown, unknown>>()

  const build = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
    // After the rate limit: the per-request work, with the request and the fiber's clock read synchronously (every
    // effect here is paid on every heartbeat).
    const admitted = (fiber: Fiber.RuntimeFiber<unknown, unknown>, request: HttpServerRequest.HttpServerRequest, path: string) => {
      const clock = AccessLog.clockOf(fiber)
      const started = clock.unsafeCurrentTimeMillis()
      const template = templateOf(path)
      const sample = (status: number) => ({ method: request.method, path: template, status, seconds: (clock.unsafeCurrentTimeMillis() - started) / 1000 })
      // the tenant guard's 404 is counted, and carries no security headers (it is answered before them)
      if (!TenantGuard.allows(config, path, request.headers)) return Effect.as(metrics.record(sample(404)), tenantNotFound)
      // metrics and security headers: the final response (errors included) is seen by one pre-response handler
      const onResponse = (_: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse) =>
        Effect.as(metrics.record(sample(response.status)), HttpServerResponse.setHeaders(response, securityHeaders))
      const effective = asJsonRequest(request)
      const route = `${request.method} ${template}`
      const served = effective === request ? app : Effect.provideService(app, HttpServerRequest.HttpServerRequest, effective)
      const refusedUrl = InputChecks.checkUrl(effective)
      const checked = Option.isSome(refusedUrl)
        ? Effect.succeed(refusedUrl.value)
        : InputChecks.hasNoBody(effective)
        ? served
        : Effect.flatMap(
          InputChecks.checkBody(effective, route, bodyMessages.get(route) ?? "invalid request body"),
          (refused) => Option.isSome(refused) ? Effect.succeed(refused.value) : served
        )
      return Effect.zipRight(HttpApp.appendPreResponseHandler(onResponse), checked)
    }
    const guarded: HttpApp.Default<E, R> = Effect.withFiberRuntime((fiber) => {
      const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
      const path = pathOf(request.url)
      // rate limit: the TCP peer only; proxy headers are not trusted for it
      if (RateLimit.exempt(path)) return admitted(fiber, request, path)
      const ip = Option.getOrElse(request.remoteAddress, () => "unknown")
      return Effect.flatMap(limiter.take(ip), (ok) => ok ? admitted(fiber, request, path) : Effect.succeed(rateLimited))
    })
    return accessLog(cors(guarded))
  }

  const apply = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
    const known = built.get(app) as HttpApp.Default<E, R> | undefined
    if (known !== undefined) return known
    const chain = build(app)
    built.set(app, chain as HttpApp.Default<unknown, unknown>)
    return chain
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
