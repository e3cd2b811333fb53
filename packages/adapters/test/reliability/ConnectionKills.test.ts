/**
 * Issue 10, database faults at the persistence edge: two replicas (separate pools) on one Postgres database, and
 * every backend of that database terminated with `pg_terminate_backend` — pool connections, the LISTEN connection of
 * the event bus, the advisory-lock connections of leadership. Without restarting anything: the repositories answer
 * again, nothing committed before the fault is lost, events (recorded and broadcast-only) still cross between the
 * replicas, and a leadership-guarded job has exactly one leader again.
 */
import { DatabaseFaults, Eventually, Testing } from "@berth/adapters/testing"
import type { Events, WorkspaceId } from "@berth/core"
import { EventBus, EventLog, Leadership, StatusWrites, SweepCandidates, Transitions, WorkspaceStore } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Context, Deferred, Effect, Layer, Option, Ref, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { newWorkspace } from "../sql/RepositorySuite.js"
import { postgresPersistence } from "./PostgresPersistence.js"

const url = await Testing.freshPostgresDatabase("berth_rel_kill")
const replica = () => postgresPersistence(url ?? "", { pollInterval: "200 millis", leaderRetryInterval: "100 millis" })
const kill = Effect.promise(() => DatabaseFaults.terminateConnections(url ?? ""))

/** Publishes a broadcast-only event on `from` until `to` delivers it (each try waits 1 s for its own marker). */
const crosses = (from: EventBus["Type"], to: EventBus["Type"], workspaceId: string) =>
  Eventually.eventually("a broadcast-only event crosses", Effect.scoped(Effect.gen(function* () {
    const marker = randomUUID()
    const got = yield* Deferred.make<Events.WorkspaceEvent>()
    const stream = yield* to.subscribe
    yield* Effect.forkScoped(Stream.runForEach(
      Stream.filter(stream, (e) => e.type === "WORKSPACE_HEARTBEAT" && e.payload["marker"] === marker),
      (e) => Deferred.succeed(got, e)
    ))
    yield* from.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId, payload: { marker }, createdAt: new Date() })
    return yield* Deferred.await(got).pipe(Effect.timeoutFail({ duration: "1 second", onTimeout: () => new Error("not delivered") }))
  })))

describe.skipIf(url === undefined)("connections killed under two replicas (Postgres)", () => {
  it.live("repositories reconnect, committed transitions survive, events still cross both ways", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* Layer.build(replica())
      const b = yield* Layer.build(replica())
      const storeA = Context.get(a, WorkspaceStore)
      const statusWritesA = Context.get(a, StatusWrites)
      const candidatesB = Context.get(b, SweepCandidates)
      const busA = Context.get(a, EventBus)
      const busB = Context.get(b, EventBus)
      const ids: Array<WorkspaceId.WorkspaceId> = []
      for (let n = 0; n < 10; n++) ids.push((yield* storeA.create(newWorkspace({ name: `kill-${n}` }))).workspace.id)
      // Both LISTEN connections are up: a broadcast crosses each way before the fault.
      yield* crosses(busA, busB, ids[0]!)
      yield* crosses(busB, busA, ids[0]!)

      // Transitions interleaved with kills. A statement caught by a kill fails (the caller sees DatastoreUnavailable
      // and retries); every acknowledged one must survive.
      const acknowledged: Array<WorkspaceId.WorkspaceId> = []
      let killed = 0
      for (const [round, id] of ids.entries()) {
        const written = yield* Effect.either(statusWritesA.transition({
          id, row: Transitions.heartbeatFromProvisioning, input: { errorRate: 0, sampleError: null }
        }))
        if (written._tag === "Right" && Option.isSome(written.right)) acknowledged.push(id)
        if (round % 3 === 0) killed += yield* kill
      }
      expect(killed).toBeGreaterThanOrEqual(4) // at least both LISTEN connections and both pools' connections
      expect(acknowledged.length).toBeGreaterThan(0)
      // The repositories answer again on both replicas, and show every acknowledged transition with its event.
      const seenByB = yield* Eventually.eventually("replica B reads", candidatesB.refs(acknowledged))
      expect(seenByB.map((w) => w.status)).toEqual(acknowledged.map(() => "online"))
      const log = Context.get(b, EventLog)
      for (const id of acknowledged) {
        const types = (yield* Eventually.eventually("the event log answers", log.latest(10, id))).map((e) => e.type)
        expect(types.sort()).toEqual(["WORKSPACE_ONLINE", "WORKSPACE_PROVISIONING"])
      }

      // The event bus lost its LISTEN connections too: broadcast-only events must cross again, both ways.
      yield* kill
      yield* crosses(busA, busB, ids[0]!)
      yield* crosses(busB, busA, ids[0]!)
      expect(Option.isSome(yield* Eventually.eventually("replica A reads", storeA.get(ids[0]!)))).toBe(true)
    })), { timeout: 120_000 })

  it.live("a leadership-guarded job has exactly one leader again after its lock connections are killed", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* Layer.build(replica())
      const b = yield* Layer.build(replica())
      const running = yield* Ref.make(0)
      const starts = yield* Ref.make(0)
      const overlaps = yield* Ref.make(0)
      const job = Effect.acquireUseRelease(
        Effect.flatMap(Ref.updateAndGet(running, (n) => n + 1), (now) =>
          Effect.zipRight(Ref.update(starts, (n) => n + 1), now > 1 ? Ref.update(overlaps, (n) => n + 1) : Effect.void)),
        () => Effect.never,
        () => Ref.update(running, (n) => n - 1)
      )
      // Leadership retries forever; the caller (a background loop) runs it again whenever it returns.
      for (const replicaContext of [a, b]) {
        yield* Effect.forkScoped(Effect.forever(Context.get(replicaContext, Leadership).runAsLeader("reliability-job", job)))
      }
      yield* Eventually.until("a first leader", Effect.map(Ref.get(starts), (n) => n === 1))
      for (let round = 2; round <= 4; round++) {
        expect(yield* kill).toBeGreaterThan(0)
        yield* Eventually.until(`leader number ${round}`, Effect.map(Ref.get(starts), (n) => n >= round))
        yield* Eventually.until("one job running", Effect.map(Ref.get(running), (n) => n === 1))
      }
      expect(yield* Ref.get(overlaps)).toBe(0)
    })), { timeout: 120_000 })
})
