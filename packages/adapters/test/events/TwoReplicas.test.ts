/**
 * Two Berth replicas (two persistence Layers with separate pools) on one Postgres: events published by one reach the
 * other, recorded-but-unpublished events still arrive through the poll, and a leadership-guarded job runs in only one.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Events } from "@berth/core"
import { EventBus, EventLog, Leadership, StatusWrites, Transitions, WorkspaceStore } from "@berth/core"
import { Context, Deferred, Effect, Exit, Layer, Redacted, Ref, Scope, Stream } from "effect"
import { Testing } from "../../src/testing/index.js"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"

const url = await Testing.freshPostgresDatabase()

const replica = () =>
  layerFor(
    { _tag: "Postgres", url: Redacted.make(url ?? "") },
    { pollInterval: "200 millis", leaderRetryInterval: "100 millis" }
  ).pipe(Layer.provide(SecretCipher.layer(undefined)))

/** The first event on `bus` matching `predicate`, awaited in the background from now on. */
const nextEvent = (bus: EventBus["Type"], predicate: (e: Events.WorkspaceEvent) => boolean) =>
  Effect.gen(function* () {
    const got = yield* Deferred.make<Events.WorkspaceEvent>()
    const stream = yield* bus.subscribe
    yield* Effect.forkScoped(Stream.runForEach(Stream.filter(stream, predicate), (e) => Deferred.succeed(got, e)))
    return Deferred.await(got).pipe(Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("no event") }))
  })

describe.skipIf(url === undefined)("two replicas on one Postgres", () => {
  it.live("an event published by one replica is received by the other", () =>
    Effect.scoped(Effect.gen(function* () {
      const a = yield* Layer.build(replica())
      const b = yield* Layer.build(replica())
      const busA = Context.get(a, EventBus)
      const busB = Context.get(b, EventBus)
      const storeA = Context.get(a, WorkspaceStore)
      const statusWritesA = Context.get(a, StatusWrites)

      // A recorded event: created and published on A, received on B with its seq.
      const { workspace } = yield* storeA.create({
        name: "shared", role: null, tier: 3, runtime: "claude-code", parentId: null, workspaceDir: null,
        workspaceAccess: "none", deliveryMode: "push", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
        event: { type: "WORKSPACE_PROVISIONING", payload: { name: "shared", source: "create" } }
      })
      const online = yield* nextEvent(busB, (e) => e.type === "WORKSPACE_ONLINE" && e.workspaceId === workspace.id)
      const recorded = yield* statusWritesA.transition({
        id: workspace.id, row: Transitions.heartbeatFromProvisioning, input: { errorRate: 0, sampleError: null }
      })
      const sent = recorded._tag === "Some" ? recorded.value : undefined
      expect(sent?.seq).toBeGreaterThan(0)
      if (sent !== undefined) yield* busA.publish(sent)
      const received = yield* online
      expect(received).toMatchObject({ seq: sent?.seq, payload: { recovered_from: "provisioning", source: "heartbeat" } })

      // A broadcast-only event travels in the NOTIFY payload itself.
      const beat = yield* nextEvent(busB, (e) => e.type === "WORKSPACE_HEARTBEAT" && e.workspaceId === workspace.id)
      yield* busA.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId: workspace.id, payload: { active_tasks: 3 }, createdAt: new Date() })
      expect((yield* beat).payload).toEqual({ active_tasks: 3 })

      // A recorded event whose publisher never published it (a crash after commit) still arrives, through the poll.
      const card = yield* nextEvent(busB, (e) => e.type === "AGENT_CARD_UPDATED" && e.workspaceId === workspace.id)
      const stored = yield* Context.get(a, EventLog).record(workspace.id, { type: "AGENT_CARD_UPDATED", payload: { agent_card: {} } })
      expect((yield* card).seq).toBe(stored.seq)
    })))

  it.live("a leadership-guarded job runs in only one replica, and the other takes over when it stops", () =>
    Effect.scoped(Effect.gen(function* () {
      const scopes = { a: yield* Scope.make(), b: yield* Scope.make() }
      const a = yield* Layer.buildWithScope(replica(), scopes.a)
      const b = yield* Layer.buildWithScope(replica(), scopes.b)
      const running = yield* Ref.make<ReadonlyArray<string>>([])
      const started = yield* Deferred.make<string>()
      const job = (who: string) =>
        Effect.zipRight(
          Effect.zipRight(Ref.update(running, (r) => [...r, who]), Deferred.succeed(started, who)),
          Effect.never
        )
      yield* Effect.forkIn(Context.get(a, Leadership).runAsLeader("test-sweep", job("a")), scopes.a)
      yield* Effect.forkIn(Context.get(b, Leadership).runAsLeader("test-sweep", job("b")), scopes.b)
      const leader = yield* Deferred.await(started)
      // Give the follower many retry periods (100 ms each): it must not start the job while the lock is held.
      yield* Effect.sleep("1500 millis")
      expect(yield* Ref.get(running)).toEqual([leader])

      // The leading replica stops (its lock connection closes, releasing the lock): the follower takes over.
      yield* Scope.close(leader === "a" ? scopes.a : scopes.b, Exit.void)
      const follower = leader === "a" ? "b" : "a"
      yield* Effect.gen(function* () {
        while ((yield* Ref.get(running)).length < 2) yield* Effect.sleep("50 millis")
      }).pipe(Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("no take-over") }))
      expect(yield* Ref.get(running)).toEqual([leader, follower])
    })))
})
