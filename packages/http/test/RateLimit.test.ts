import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as RateLimit from "../src/edge/RateLimit.js"
import { json, send, testServer } from "./support/TestServer.js"

describe("per-IP rate limit (§4)", () => {
  it.effect("RATE_LIMIT requests per minute per IP, then refused until the window ends", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make(2)
      expect(yield* limiter.take("10.0.0.1")).toBe(true)
      expect(yield* limiter.take("10.0.0.1")).toBe(true)
      expect(yield* limiter.take("10.0.0.1")).toBe(false)
      // another client has its own budget
      expect(yield* limiter.take("10.0.0.2")).toBe(true)
      yield* TestClock.adjust("59 seconds")
      expect(yield* limiter.take("10.0.0.1")).toBe(false)
      yield* TestClock.adjust("1 second")
      expect(yield* limiter.take("10.0.0.1")).toBe(true)
    }))

  it.effect("0 disables the limit", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make(0)
      for (let i = 0; i < 1000; i++) expect(yield* limiter.take("10.0.0.1")).toBe(true)
    }))

  it("/health, /buildinfo, /metrics and /registry/* are exempt", () => {
    for (const path of ["/health", "/buildinfo", "/metrics", "/registry/register", "/registry/heartbeat", "/registry/update-card"]) {
      expect(RateLimit.exempt(path)).toBe(true)
    }
    expect(RateLimit.exempt("/workspaces")).toBe(false)
    expect(RateLimit.exempt("/registryx")).toBe(false)
  })

  layer(testServer({ rateLimit: 2 }), { timeout: "60 seconds" })((it) => {
    it.effect("over the limit → 429 {\"error\":\"rate limit exceeded\"}; exempt paths still answer", () =>
      Effect.gen(function* () {
        expect((yield* send("GET", "/openapi.json")).status).toBe(200)
        expect((yield* send("GET", "/openapi.json")).status).toBe(200)
        const limited = yield* send("GET", "/openapi.json")
        expect(limited.status).toBe(429)
        expect(json(limited)).toEqual({ error: "rate limit exceeded" })
        expect((yield* send("GET", "/health")).status).toBe(200)
        expect((yield* send("POST", "/registry/heartbeat", { body: "{}" })).status).toBe(400)
      }))
  })
})
