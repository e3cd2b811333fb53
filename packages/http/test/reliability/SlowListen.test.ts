/**
 * Issue 22: a replica whose LISTEN connection is slow (held by a proxy in front of Postgres, which serves only that
 * connection) must not serve before it listens, or the events raised between its first answer and its LISTEN never
 * reach its SSE subscribers. The subscriber connects as soon as the replica answers; everything raised from then on
 * must arrive.
 */
import { Testing, TcpProxy } from "@berth/adapters/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { register } from "./Agents.js"
import { crossing, raised } from "./EventCrossing.js"
import { on, start } from "./Replicas.js"

const url = await Testing.freshPostgresDatabase("berth_rel_slowlisten")

describe.skipIf(url === undefined)("a replica whose LISTEN connection is slow", () => {
  it.live("serves only once it listens: events raised after its SSE subscriber connected reach it", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* start(url ?? "")
      const proxy = yield* TcpProxy.make(url ?? "")
      yield* proxy.hold
      // The hold is the fault: lifted after a while, for a replica that waits for its LISTEN before serving.
      yield* Effect.forkScoped(Effect.zipRight(Effect.zipRight(proxy.waiting, Effect.sleep("2 seconds")), proxy.release))
      const b = yield* start(url ?? "", {}, { listenUrl: Redacted.make(proxy.via(url ?? "")), pollInterval: "1 hour" })
      const agent = yield* on(a, register)
      const seen = yield* crossing(b, a, agent, "task while listen was slow")
      expect(seen.map((f) => f.type)).toEqual(expect.arrayContaining([...raised]))
    })), { timeout: 60_000 })
})
