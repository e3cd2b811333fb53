/**
 * The access log, in place of `HttpMiddleware.logger` (a line per request at INFO): agents beat all the time, and a
 * line per beat is neither what an operator reads nor cheap (it was the largest single cost of a heartbeat, issue 21).
 * - status ≥ 500, or a failure carrying a cause (a defect): always, at ERROR, with the cause;
 * - a request that took at least `BERTH_SLOW_REQUEST_MS` (default 1000; 0 turns this off): always, at WARN;
 * - every other request, 4xx included: DEBUG (`BERTH_LOG_LEVEL=DEBUG`). A 4xx is the contract's answer to the
 *   client's mistake and the client sees it; at INFO any client could fill the log (an agent with a revoked token
 *   writes one per beat).
 * The annotations are the old ones (`http.method`, `http.url`, `http.status`) plus `http.duration_ms`.
 */
import { HttpMiddleware, HttpServerError, HttpServerRequest } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import type { Fiber } from "effect"
import { Cause, Clock, Context, DefaultServices, Effect, FiberRef, LogLevel, Option } from "effect"

/** Whether the request is a WebSocket upgrade: it lasts as long as the socket, so "slow" says nothing about it. */
const isUpgrade = (request: HttpServerRequest.HttpServerRequest) => request.headers["upgrade"] !== undefined

/** The fiber's clock, read without an effect (the access log and the edge pay this on every request). */
export const clockOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Clock.Clock =>
  Context.get(fiber.getFiberRef(DefaultServices.currentServices), Clock.Clock)

/** The access log around `app`; `slowMs` is the slow-request threshold in milliseconds (0: none). */
export const middleware = (slowMs: number) => <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
    // Read synchronously: two more effects per request only to learn the time is what this module removes.
    const clock = clockOf(fiber)
    const started = clock.unsafeCurrentTimeMillis()
    return Effect.flatMap(Effect.exit(app), (exit) => {
      const [response, cause] = exit._tag === "Success"
        ? [exit.value, Option.none()] as const
        : HttpServerError.causeResponseStripped(exit.cause)
      const millis = clock.unsafeCurrentTimeMillis() - started
      const failed = response.status >= 500 || (Option.isSome(cause) && !Cause.isInterruptedOnly(cause.value))
      const slow = slowMs > 0 && millis >= slowMs && !isUpgrade(request)
      if (!failed && !slow && LogLevel.greaterThan(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), LogLevel.Debug)) {
        return exit
      }
      const annotations = {
        "http.method": request.method,
        "http.url": request.url,
        "http.status": response.status,
        "http.duration_ms": millis
      }
      const line = failed
        ? Effect.logError("HTTP request failed", ...(Option.isSome(cause) ? [cause.value] : []))
        : slow
        ? Effect.logWarning("slow HTTP response")
        : Effect.logDebug("Sent HTTP response")
      return Effect.zipRight(Effect.annotateLogs(line, annotations), exit)
    })
  })

/** For `HttpApiBuilder.serve`: the same, as an `HttpMiddleware`. */
export const make = (slowMs: number) => HttpMiddleware.make(middleware(slowMs))
