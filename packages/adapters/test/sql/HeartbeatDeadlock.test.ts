/**
 * A heartbeat batch that Postgres aborts to break a deadlock is written again (Postgres only: PGlite has one
 * connection, so nothing there can hold a row while a batch waits). The cycle is built on purpose: a transaction
 * holds row b, the batch locks a (ids in order) and waits for b, then the transaction asks for a. The transaction
 * runs with a long `deadlock_timeout`, so the batch is the one that detects the cycle and is aborted.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import type { WorkspaceId } from "@berth/core"
import { AgentRegistrations, WorkspaceStore } from "@berth/core"
import { Deferred, Effect, Fiber, Layer, Option, Redacted, Schedule } from "effect"
import { Testing } from "../../src/testing/index.js"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { allWaiting } from "./HeartbeatSuite.js"
import { create } from "./RepositorySuite.js"

const url = await Testing.freshPostgresDatabase()

const beat = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(AgentRegistrations, (registrations) =>
    registrations.heartbeat({ id, errorRate: 0, sampleError: null, activeTasks: 1, uptimeSeconds: 1, currentTask: "t", monthlySpend: 0 }))

/** Waits until some session of this database waits for a row lock (a batch blocked on a held row). */
const someoneWaitsForALock = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ readonly n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.pipe(
    Effect.filterOrFail((rows) => (rows[0]?.n ?? 0) > 0, () => new Error("nobody waits yet")),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo("10 seconds")))
  ))

/** A transaction holding row `id` until `release`, signalling `locked` once it has it. */
const holdRow = (id: WorkspaceId.WorkspaceId, locked: Deferred.Deferred<void>, release: Deferred.Deferred<void>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(Effect.gen(function* () {
      yield* sql`SELECT id FROM workspaces WHERE id = ${id} FOR UPDATE`
      yield* Deferred.succeed(locked, undefined)
      yield* Deferred.await(release)
    })))

describe.skipIf(url === undefined)("Postgres", () => {
  const database = layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }).pipe(Layer.provide(SecretCipher.layer(undefined)))
  layer(database, { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.effect("a heartbeat batch chosen as a deadlock victim is written again; every beat is answered", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* WorkspaceStore
        const busy = yield* create()
        const [a, b] = [yield* create(), yield* create()].sort()
        // 1. keep the batcher busy on another row, so that a and b queue up into ONE next batch
        const [busyLocked, busyRelease] = [yield* Deferred.make<void>(), yield* Deferred.make<void>()]
        const busyHolder = yield* Effect.fork(holdRow(busy, busyLocked, busyRelease))
        yield* Deferred.await(busyLocked)
        const first = yield* Effect.fork(beat(busy))
        yield* someoneWaitsForALock
        const beats = [yield* Effect.fork(beat(a!)), yield* Effect.fork(beat(b!))]
        yield* allWaiting(beats)
        // 2. a transaction takes b (it will ask for a later, with a deadlock timeout longer than the batch's)
        const [bLocked, goForA] = [yield* Deferred.make<void>(), yield* Deferred.make<void>()]
        const rival = yield* Effect.fork(sql.withTransaction(Effect.gen(function* () {
          yield* sql`SET LOCAL deadlock_timeout = '30s'`
          yield* sql`SELECT id FROM workspaces WHERE id = ${b!} FOR UPDATE`
          yield* Deferred.succeed(bLocked, undefined)
          yield* Deferred.await(goForA)
          yield* sql`SELECT id FROM workspaces WHERE id = ${a!} FOR UPDATE`
        })))
        yield* Deferred.await(bLocked)
        // 3. the batch [a, b] starts, locks a and waits for b; then the rival asks for a: a cycle
        yield* Deferred.succeed(busyRelease, undefined)
        yield* Fiber.join(busyHolder)
        expect(Option.map(yield* Fiber.join(first), (r) => r.recorded)).toEqual(Option.some(true))
        yield* someoneWaitsForALock
        yield* Deferred.succeed(goForA, undefined)
        // Postgres aborts the batch (it detects the cycle first); the rival commits, the batch is written again
        yield* Fiber.join(rival)
        const answers = yield* Effect.forEach(beats, Fiber.join)
        expect(answers.map((r) => Option.map(r, (x) => x.recorded))).toEqual([Option.some(true), Option.some(true)])
        const stored = yield* Effect.forEach([a!, b!], (id) => Effect.map(store.get(id), Option.map((w) => w.currentTask)))
        expect(stored).toEqual([Option.some("t"), Option.some("t")])
      }))
  })
})
