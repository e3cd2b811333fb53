/**
 * Issue 10, two replicas on one Postgres, end to end: two real Berth HTTP servers (each with its own pools, LISTEN
 * connection, leadership and background loops) on one database. An event raised through one reaches an SSE subscriber
 * of the other, both ways, and a heartbeat to either is seen by both. (That each loop's pass runs once per period
 * across replicas is `packages/adapters/test/reliability/LoopsOnTwoReplicas.test.ts`, on the test clock.)
 */
import { Testing } from "@berth/adapters/testing"
import { WorkspaceStore } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { Agent } from "./Agents.js"
import { beat, register } from "./Agents.js"
import { crossing, raised } from "./EventCrossing.js"
import { exchange, jsonOf } from "./Exchange.js"
import type { Replica } from "./Replicas.js"
import { on, start } from "./Replicas.js"

const url = await Testing.freshPostgresDatabase("berth_rel_replicas")

/** The status as `GET /workspaces/:id/state` on `replica` reports it. */
const stateOn = (replica: Replica, agent: Agent) =>
  Effect.map(on(replica, exchange({ method: "GET", path: `/workspaces/${agent.id}/state`, headers: { authorization: `Bearer ${agent.token}` } })),
    (answer) => (jsonOf(answer) as { readonly status?: string } | undefined)?.status)

describe.skipIf(url === undefined)("two Berth HTTP servers on one Postgres", () => {
  it.live("an event raised on either replica reaches SSE subscribers of the other", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* start(url ?? "")
      const b = yield* start(url ?? "")
      for (const [subscriber, raiser, name] of [[b, a, "a→b"], [a, b, "b→a"]] as const) {
        const agent = yield* on(raiser, register)
        const seen = yield* crossing(subscriber, raiser, agent, `task ${name}`)
        expect(seen.map((f) => f.type), name).toEqual(expect.arrayContaining([...raised]))
        expect(seen.find((f) => f.type === "TASK_UPDATED")?.data, name).toEqual({ current_task: `task ${name}`, active_tasks: 1 })
        const degraded = seen.find((f) => f.type === "WORKSPACE_DEGRADED")?.data
        expect(degraded, name).toMatchObject({ error_rate: 0.9, sample_error: "boom", source: "heartbeat" })
      }
    })), { timeout: 120_000 })

  it.live("a heartbeat to either replica is seen by both", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* start(url ?? "")
      const b = yield* start(url ?? "")
      const agent = yield* on(a, register)
      const seenBy = (replica: Replica) =>
        Effect.map(on(replica, Effect.flatMap(WorkspaceStore, (store) => store.get(agent.id))), Option.getOrThrow)

      expect(yield* on(a, beat(agent, { current_task: "from a", error_rate: 0.9 }))).toBe(200)
      for (const replica of [a, b]) {
        expect(yield* stateOn(replica, agent)).toBe("degraded")
        expect((yield* seenBy(replica)).currentTask).toBe("from a")
      }
      expect(yield* on(b, beat(agent, { current_task: "from b", error_rate: 0 }))).toBe(200)
      for (const replica of [a, b]) {
        expect(yield* stateOn(replica, agent)).toBe("online")
        expect((yield* seenBy(replica)).currentTask).toBe("from b")
      }
      const [viaA, viaB] = [yield* seenBy(a), yield* seenBy(b)]
      expect(viaA.lastHeartbeatAt).toEqual(viaB.lastHeartbeatAt)
    })), { timeout: 120_000 })
})
