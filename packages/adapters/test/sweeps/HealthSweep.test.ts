/** Health sweep remote pass and liveness (§7.1, §7.2) over PGlite repositories, with the in-memory bus. */
import { AutoRestart, HealthSweep, SweepCandidates } from "@berth/core"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { EventBusMemory } from "@berth/adapters"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { backdate, create, setStatus } from "../sql/RepositorySuite.js"

/** Test double for the AutoRestart port (owned elsewhere): records requests. */
const requests = Effect.runSync(Ref.make<ReadonlyArray<string>>([]))
const autoRestart = Layer.succeed(AutoRestart, {
  request: (id, source) => Ref.update(requests, (l) => [...l, `${id}:${source}`])
})

const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)


layer(Layer.mergeAll(persistence, EventBusMemory.layer, autoRestart))("health sweeps", (it) => {
  it.effect("remote pass: stale external → awaiting_agent; provisioning and paused untouched", () =>
    Effect.gen(function* () {
      const candidates = yield* SweepCandidates
      const stale = yield* create({ runtime: "external", name: "s" })
      const paused = yield* create({ runtime: "external" })
      const provisioning = yield* create({ runtime: "external" })
      yield* setStatus(stale, "online")
      yield* setStatus(paused, "paused")
      for (const id of [stale, paused, provisioning]) yield* backdate(id, "updated_at", 300)
      yield* HealthSweep.remotePass
      const st = new Map((yield* candidates.refs([stale, paused, provisioning])).map((r) => [r.id, r.status] as const))
      expect(st.get(stale)).toBe("awaiting_agent")
      expect(st.get(paused)).toBe("paused")
      expect(st.get(provisioning)).toBe("provisioning")
    }))

  it.effect("liveness: stale container row → offline and an auto-restart is requested", () =>
    Effect.gen(function* () {
      const candidates = yield* SweepCandidates
      const id = yield* create({ runtime: "claude-code" })
      yield* setStatus(id, "online")
      yield* backdate(id, "last_heartbeat_at", 400)
      yield* HealthSweep.livenessPass
      expect((yield* candidates.refs([id]))[0]?.status).toBe("offline")
      expect(yield* Ref.get(requests)).toContain(`${id}:auto_restart`)
    }))
})
