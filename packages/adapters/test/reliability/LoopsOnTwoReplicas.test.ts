/**
 * Issue 10, two replicas on one Postgres: the real background loops (`Loops.layer`, the passes and periods of §7)
 * of two Berth replicas, each over its own pools, leadership and event bus. Each loop's pass runs once per period
 * across both ("each loop holds a connection-scoped advisory lock named after it", §7), and when the leading replica
 * stops, the other takes every loop over. Time is the test clock; the loops are counted where they enter their pass.
 */
import { Testing } from "@berth/adapters/testing"
import { InboundSecretCache, Leadership, Lifecycle, Loops } from "@berth/core"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Ref, Scope, TestClock, TestServices } from "effect"
import * as TemplateCatalogueFs from "../../src/templates/TemplateCatalogueFs.js"
import { configsDir } from "../lifecycle/Harness.js"
import { postgresPersistence } from "./PostgresPersistence.js"

const url = await Testing.freshPostgresDatabase("berth_rel_loops")

/** Passes finished per loop name, across replicas. */
type Counts = Ref.Ref<ReadonlyMap<string, number>>

/** The replica's own Leadership, counting every pass it ran (at its end: the loop then goes straight to sleep). */
const counting = (counts: Counts) => Layer.effect(Leadership, Effect.map(Leadership, (inner) => Leadership.of({
  runAsLeader: (name, pass) =>
    inner.runAsLeader(name, Effect.ensuring(pass, Ref.update(counts, (m) => new Map(m).set(name, (m.get(name) ?? 0) + 1))))
})))

/** One Berth replica's loops in external-only mode: no backend, the real lifecycle's auto-restart, its own pools. */
const replica = (counts: Counts) => {
  const persistence = postgresPersistence(url ?? "", { pollInterval: "5 seconds", leaderRetryInterval: "5 seconds" })
  const backend = Layer.mergeAll(
    TemplateCatalogueFs.layerFresh(configsDir([])).pipe(Layer.provide(NodeFileSystem.layer)),
    InboundSecretCache.Default
  )
  return Loops.layer.pipe(
    Layer.provide(counting(counts)),
    Layer.provide(Lifecycle.layer),
    Layer.provideMerge(backend),
    Layer.provideMerge(persistence)
  )
}

/** Periodic loops of external-only mode and their periods (§7; activity retention's 6 h stays out of the window). */
const periodic = { health_sweep: 15, liveness: 15, provision_timeout_sweep: 30 } as const

/** How many passes each loop must have run after `seconds` of its replicas' time (none at start, §7). */
const expectedAfter = (seconds: number) => Object.entries(periodic).map(([loop, period]) => [loop, Math.floor(seconds / period)] as const)

/**
 * Moves the test clock one second at a time from `from` to `to`. After each step it waits (real time: the passes do
 * real I/O; bounded) until every loop has run the passes due by then, and checks that none ran more: a pass run by
 * both replicas in one period shows as one too many.
 */
const advance = (counts: Counts, from: number, to: number, slack = 0) =>
  Effect.gen(function* () {
    for (let t = from + 1; t <= to; t++) {
      yield* TestClock.adjust(Duration.seconds(1))
      for (const [loop, due] of expectedAfter(t - from)) {
        let look = 0
        while (((yield* Ref.get(counts)).get(loop) ?? 0) < due) {
          if (++look > 1500) return yield* Effect.die(new Error(`${loop}: ${due} passes due at t=${t}s, not run within 30 s`))
          yield* TestServices.provideLive(Effect.sleep("20 millis"))
        }
        expect((yield* Ref.get(counts)).get(loop) ?? 0, `${loop} at t=${t}s`).toBeLessThanOrEqual(due + slack)
      }
    }
  })

describe.skipIf(url === undefined)("the background loops of two replicas on one Postgres", () => {
  it.effect("each pass runs once per period across both replicas, and the survivor takes over", () =>
    Effect.gen(function* () {
      const counts: Counts = yield* Ref.make<ReadonlyMap<string, number>>(new Map())
      const scopeA = yield* Scope.make()
      const scopeB = yield* Scope.make()
      yield* Layer.buildWithScope(replica(counts), scopeA)
      yield* Layer.buildWithScope(replica(counts), scopeB)
      const window = 120
      yield* advance(counts, 0, window)
      // A last look after the loops had time to run anything extra.
      yield* TestServices.provideLive(Effect.sleep("300 millis"))
      for (const [loop, due] of expectedAfter(window)) expect((yield* Ref.get(counts)).get(loop), loop).toBe(due)

      // The replica leading the loops stops; the other one now runs each of them, once per period. It takes a lock
      // over at its next retry and runs the pass it was waiting to run then: at most one early pass per loop.
      yield* Scope.close(scopeA, Exit.void)
      yield* Ref.set(counts, new Map())
      yield* advance(counts, window, 2 * window, 1)
      yield* Scope.close(scopeB, Exit.void)
    }), { timeout: 120_000 })
})
