/**
 * Issue 10, database faults end to end: two Berth HTTP servers on one Postgres database, agents heartbeating through
 * both and the background loops sweeping, while every backend of the database is killed (`pg_terminate_backend`)
 * again and again. Without a restart of Berth: heartbeats answer 200 again (a bounded retry loop, no timing), every
 * transition recorded before the faults is still there, the loops still have a leader (rows going stale after the
 * faults are swept), and events still cross from one replica to the other.
 */
import { DatabaseFaults, Eventually, Testing } from "@berth/adapters/testing"
import type { WorkspaceId } from "@berth/core"
import { WorkspaceStore } from "@berth/core"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Ref, Schema } from "effect"
import { crossing, raised } from "./EventCrossing.js"
import type { Agent } from "./Agents.js"
import { beat, register } from "./Agents.js"
import type { Replica } from "./Replicas.js"
import { on, start } from "./Replicas.js"

const url = await Testing.freshPostgresDatabase("berth_rel_dbfaults")
const kills = 6

const EventIds = Schema.Array(Schema.Struct({ id: Schema.String }))

/** Every recorded event id, read through `replica`'s pool. */
const eventIds = (replica: Replica) =>
  on(replica, Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT id::text AS id FROM structure_events`)).pipe(
    Effect.flatMap(Schema.decodeUnknown(EventIds)),
    Effect.map((rows) => new Set(rows.map((r) => r.id)))
  )

const statusOf = (replica: Replica, id: WorkspaceId.WorkspaceId) =>
  on(replica, Effect.flatMap(WorkspaceStore, (store) => store.get(id))).pipe(Effect.map((row) => Option.getOrThrow(row).status))

/** Rows the sweeps must act on: one stuck in provisioning past any deadline, one online whose heartbeats stopped. */
const staleRows = (replica: Replica) =>
  on(replica, Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const sql = yield* SqlClient.SqlClient
    const stuck = (yield* store.create({
      name: "stuck", role: null, tier: 2, runtime: "claude-code", parentId: null, workspaceDir: null, workspaceAccess: "none",
      deliveryMode: "push", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
      event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
    })).workspace.id
    const silent = (yield* register.pipe(Effect.map((a) => a.id)))
    yield* sql`UPDATE workspaces SET updated_at = now() - interval '1 hour' WHERE id = ${stuck}`
    yield* sql`UPDATE workspaces SET last_heartbeat_at = now() - interval '10 minutes' WHERE id = ${silent}`
    return { stuck, silent }
  }))

/** Waits until the loops (of whichever replica leads) have swept both rows. */
const swept = (what: string, replica: Replica, rows: { readonly stuck: WorkspaceId.WorkspaceId; readonly silent: WorkspaceId.WorkspaceId }) =>
  Eventually.until(what, Effect.map(
    Effect.all([statusOf(replica, rows.stuck), statusOf(replica, rows.silent)]),
    ([stuck, silent]) => stuck === "failed" && silent === "offline"
  ).pipe(Effect.orElseSucceed(() => false)))

interface Beats {
  readonly sent: number
  readonly ok: number
  /** Per agent, the count of 200s so far. */
  readonly okBy: ReadonlyMap<string, number>
}

describe.skipIf(url === undefined)("database faults under load (two Berth HTTP servers, Postgres)", () => {
  it.live(`heartbeats, sweeps, leadership and events survive ${kills} rounds of killed connections`, () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* start(url ?? "")
      const b = yield* start(url ?? "")
      const agents: ReadonlyArray<readonly [Agent, Replica]> = [
        [yield* on(a, register), a], [yield* on(a, register), b], [yield* on(b, register), a], [yield* on(b, register), b]
      ]
      // Before the faults: a heartbeat transition, and both sweeps at work.
      expect(yield* on(a, beat(agents[0]![0], { error_rate: 0.9 }))).toBe(200)
      expect(yield* statusOf(b, agents[0]![0].id)).toBe("degraded")
      yield* swept("the sweeps ran before the faults", a, yield* staleRows(a))
      const recorded = yield* eventIds(a)

      // Agents beat all along, each through its replica; the outcomes are counted, failures included.
      const beats = yield* Ref.make<Beats>({ sent: 0, ok: 0, okBy: new Map() })
      const beating = yield* Effect.forEach(agents, ([agent, replica]) =>
        Effect.fork(Effect.forever(Effect.gen(function* () {
          const status = yield* Effect.orElseSucceed(on(replica, beat(agent, { error_rate: 0, active_tasks: 1 })), () => 0)
          yield* Ref.update(beats, (s) => ({
            sent: s.sent + 1,
            ok: s.ok + (status === 200 ? 1 : 0),
            okBy: status === 200 ? new Map(s.okBy).set(agent.id, (s.okBy.get(agent.id) ?? 0) + 1) : s.okBy
          }))
          yield* Effect.sleep("50 millis")
        }))))

      let terminated = 0
      for (let round = 0; round < kills; round++) {
        terminated += yield* Effect.promise(() => DatabaseFaults.terminateConnections(url ?? ""))
        yield* Effect.sleep("300 millis")
      }
      expect(terminated).toBeGreaterThan(kills)

      // Liveness recovers: every agent gets 200s again after the last kill.
      const afterFaults = (yield* Ref.get(beats)).okBy
      yield* Eventually.until("every agent's heartbeat answers 200 again", Effect.map(Ref.get(beats), (s) =>
        agents.every(([agent]) => (s.okBy.get(agent.id) ?? 0) >= (afterFaults.get(agent.id) ?? 0) + 3)))
      yield* Effect.forEach(beating, Fiber.interrupt, { discard: true })
      for (const [agent] of agents) expect(yield* statusOf(a, agent.id), "back online").toBe("online")

      // No transition recorded before the faults is lost.
      const now = yield* Eventually.eventually("events readable", eventIds(b))
      expect([...recorded].filter((id) => !now.has(id))).toEqual([])
      // The loops still have a leader: rows going stale now are swept.
      yield* swept("the sweeps ran after the faults", b, yield* Eventually.eventually("stale rows written", staleRows(b)))
      // Events still cross: an SSE subscriber of one replica sees what the other raised, both ways.
      for (const [subscriber, raiser] of [[b, a], [a, b]] as const) {
        const agent = yield* on(raiser, register)
        const seen = yield* Eventually.eventually("an event crosses", crossing(subscriber, raiser, agent, "after the faults"))
        expect(seen.map((f) => f.type)).toEqual(expect.arrayContaining([...raised]))
      }
      const figures = yield* Ref.get(beats)
      console.info(`[reliability] database faults: ${kills} kill rounds, ${terminated} connections terminated, ` +
        `${figures.sent} heartbeats (${figures.sent - figures.ok} refused during the faults), ${recorded.size} prior events kept`)
    })), { timeout: 180_000 })
})
