import { ActivityFilter } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"

const U = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
const err = (q: Record<string, string>) =>
  Effect.map(Effect.either(ActivityFilter.parse(q)), (e) => (Either.isLeft(e) ? e.left.message : "ok"))

describe("ActivityFilter.parse", () => {
  it.effect("defaults", () =>
    Effect.gen(function* () {
      const f = yield* ActivityFilter.parse({})
      expect(f).toEqual({ type: undefined, source: undefined, peerId: undefined, beforeTs: undefined, sinceSecs: undefined, sinceId: undefined, limit: 100 })
    }))
  it.effect("bad values fail with the contract's exact messages", () =>
    Effect.gen(function* () {
      const cases: Array<[Record<string, string>, string]> = [
        [{ source: "x" }, "source must be 'canvas' or 'agent'"],
        [{ peer_id: "nope" }, "peer_id must be a UUID"],
        [{ since_id: "1" }, "since_id must be a UUID"],
        [{ since_secs: "0" }, "since_secs must be a positive integer"],
        [{ since_secs: "-1" }, "since_secs must be a positive integer"],
        [{ since_secs: "1.5" }, "since_secs must be a positive integer"],
        [{ since_secs: "abc" }, "since_secs must be a positive integer"]
      ]
      for (const ts of ["2026-05-01", "2026-05-01T00:00:00", "2026-05-01 00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-05-01T25:00:00Z", "yesterday"]) {
        cases.push([{ before_ts: ts }, "before_ts must be an RFC3339 timestamp (e.g. 2026-05-01T00:00:00Z)"])
      }
      for (const [q, msg] of cases) expect(yield* err(q)).toBe(msg)
    }))
  it.effect("accepts good values, caps since_secs and limit, ignores bad limits", () =>
    Effect.gen(function* () {
      const f = yield* ActivityFilter.parse({ type: "a2a_send", source: "agent", peer_id: U.toUpperCase(), since_id: U, since_secs: "9999999", limit: "9999", before_ts: "2026-05-01T00:00:00.123+02:00" })
      expect(f.peerId).toBe(U)
      expect(f.sinceSecs).toBe(2592000)
      expect(f.limit).toBe(500)
      expect(f.beforeTs?.toISOString()).toBe("2026-04-30T22:00:00.123Z")
      for (const l of ["0", "-5", "x", ""]) expect((yield* ActivityFilter.parse({ limit: l })).limit).toBe(100)
      expect((yield* ActivityFilter.parse({ limit: "7" })).limit).toBe(7)
    }))
  it.effect("activity types", () =>
    Effect.gen(function* () {
      expect(yield* ActivityFilter.parseActivityType("agent_log")).toBe("agent_log")
      const e = yield* Effect.either(ActivityFilter.parseActivityType("bogus"))
      expect(Either.isLeft(e) && e.left.message).toBe(
        "invalid activity_type, must be one of: a2a_send, a2a_receive, task_update, agent_log, skill_promotion, memory_write, error")
    }))
})
