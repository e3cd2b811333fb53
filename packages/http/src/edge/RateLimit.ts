/**
 * Per-IP rate limit (§4): `RATE_LIMIT` requests per minute per client IP (the TCP peer; proxy headers are not trusted
 * for it), answered `429 {"error":"rate limit exceeded"}`. In memory, a fixed one-minute window per IP, timed by the
 * Effect `Clock`: one replica's view is enough for a guard against floods.
 */
import { Clock, Context, Effect, Layer } from "effect"
import { EdgeConfig } from "./EdgeConfig.js"

const windowMillis = 60_000

/** Operational probes and agents' registry calls are never limited. */
export const exempt = (path: string): boolean =>
  path === "/health" || path === "/buildinfo" || path === "/metrics" || path.startsWith("/registry/")

export class RateLimiter extends Context.Tag("@berth/http/RateLimiter")<RateLimiter, {
  /** Counts one request from `ip`; false when it is over the limit for the current window. */
  readonly take: (ip: string) => Effect.Effect<boolean>
}>() {}

export const make = (limit: number) => Effect.sync(() => {
  const windows = new Map<string, { start: number; count: number }>()
  let lastPrune = 0
  const take = (ip: string) => Effect.map(Clock.currentTimeMillis, (now) => {
    if (limit <= 0) return true
    // Drop finished windows now and then so the map does not grow with every address ever seen.
    if (now - lastPrune > windowMillis) {
      for (const [key, w] of windows) if (now - w.start >= windowMillis) windows.delete(key)
      lastPrune = now
    }
    const current = windows.get(ip)
    if (current === undefined || now - current.start >= windowMillis) {
      windows.set(ip, { start: now, count: 1 })
      return true
    }
    current.count += 1
    return current.count <= limit
  })
  return RateLimiter.of({ take })
})

export const layer = Layer.effect(RateLimiter, Effect.flatMap(EdgeConfig, (config) => make(config.rateLimit)))
