/**
 * Issue 21: the access log writes a line only when an operator needs one — a 5xx or a defect (ERROR, with the cause)
 * and a slow request (WARN) — and every other request at DEBUG. The slow threshold runs on the TestClock.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { LogCapture } from "@berth/adapters/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Logger, LogLevel, TestClock } from "effect"
import * as AccessLog from "../src/edge/AccessLog.js"

/** An app answering by path: `/ok` 200, `/mistake` 404, `/fault` 500, `/defect` dies, `/slow` 200 after 2 s. */
const app = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  switch (request.url) {
    case "/mistake": return HttpServerResponse.empty({ status: 404 })
    case "/fault": return HttpServerResponse.empty({ status: 500 })
    case "/defect": return yield* Effect.die(new Error("kaboom"))
    case "/slow": return yield* Effect.as(Effect.sleep("2 seconds"), HttpServerResponse.empty({ status: 200 }))
    default: return HttpServerResponse.empty({ status: 200 })
  }
})

const serveAt = (path: string, slowMs: number) =>
  Effect.exit(AccessLog.middleware(slowMs)(app)).pipe(
    Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(new Request(`http://berth.test${path}`)))
  )

const logged = (paths: ReadonlyArray<string>, slowMs: number, level: LogLevel.LogLevel) =>
  Effect.gen(function* () {
    const capture = LogCapture.logCapture()
    yield* Effect.gen(function* () {
      for (const path of paths) {
        const fiber = yield* Effect.fork(serveAt(path, slowMs))
        yield* TestClock.adjust("3 seconds")
        yield* Fiber.join(fiber)
      }
    }).pipe(Effect.provide(capture.layer), Logger.withMinimumLogLevel(level))
    return capture.lines.map((l) => `${l.level} ${l.text.split("\n")[0]}`)
  })

describe("the access log (issue 21)", () => {
  it.effect("at INFO: only faults and slow requests; 2xx and 4xx say nothing", () =>
    Effect.gen(function* () {
      const lines = yield* logged(["/ok", "/mistake", "/fault", "/defect", "/slow"], 1000, LogLevel.Info)
      // the cause travels as the line's cause (JSON logs print it); the 404 and the 200 write nothing
      expect(lines).toEqual(["ERROR HTTP request failed", "ERROR HTTP request failed", "WARN slow HTTP response"])
    }))

  it.effect("a threshold of 0 turns the slow line off; at DEBUG every request has its line", () =>
    Effect.gen(function* () {
      expect(yield* logged(["/slow"], 0, LogLevel.Info)).toEqual([])
      expect(yield* logged(["/ok", "/mistake", "/slow"], 0, LogLevel.Debug)).toEqual([
        "DEBUG Sent HTTP response", "DEBUG Sent HTTP response", "DEBUG Sent HTTP response"
      ])
    }))
})
