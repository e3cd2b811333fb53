/** The always-on loops layer (§7) on PGlite under TestClock: a pass runs when its period elapses. */
import { AutoRestart, Leadership, Loops, SweepCandidates } from "@berth/core"
import { NodeFileSystem } from "@effect/platform-node"
import { EventBusMemory, TemplateCatalogueFs } from "@berth/adapters"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Queue, TestClock } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { backdate, create, setStatus } from "../sql/RepositorySuite.js"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../templates/fixtures")
const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)
const autoRestart = Layer.succeed(AutoRestart, { request: () => Effect.void })

it.effect("health sweep loop (no provisioner: remote pass still runs) marks a stale external row awaiting_agent after 15 s", () =>
  Effect.gen(function* () {
    // Always leads, and reports each finished pass so the test waits on the pass rather than on time.
    const done = yield* Queue.unbounded<string>()
    const leadership = Layer.succeed(Leadership, {
      runAsLeader: (name, effect) => Effect.zipRight(effect, Queue.offer(done, name))
    })
    const candidates = yield* SweepCandidates
    const id = yield* create({ runtime: "external" })
    yield* setStatus(id, "online")
    yield* backdate(id, "updated_at", 300)
    yield* Effect.scoped(Effect.gen(function* () {
      yield* Layer.build(Loops.layer.pipe(Layer.provide(leadership)))
      yield* TestClock.adjust("14 seconds")
      expect((yield* candidates.refs([id]))[0]?.status).toBe("online")
      yield* TestClock.adjust("1 second")
      while ((yield* Queue.take(done)) !== "health_sweep") { /* other loops' passes */ }
      expect((yield* candidates.refs([id]))[0]?.status).toBe("awaiting_agent")
    }))
  }).pipe(Effect.provide(Layer.mergeAll(persistence, EventBusMemory.layer, autoRestart, TemplateCatalogueFs.layer(fixtures).pipe(Layer.provide(NodeFileSystem.layer))))))
