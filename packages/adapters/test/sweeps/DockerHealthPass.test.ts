/** Health sweep Docker pass (§7.1) with a scripted provisioner: not running → offline + restart; error → skip. */
import { AutoRestart, HealthSweep, ManagedContainers, Provisioner, SweepCandidates } from "@berth/core"
import { EventBusMemory } from "@berth/adapters"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { create, setStatus } from "../sql/RepositorySuite.js"

const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)

it.effect("gone container → offline and auto-restart; running or engine error → untouched", () =>
  Effect.gen(function* () {
    const candidates = yield* SweepCandidates
    const gone = yield* create({ runtime: "claude-code" })
    const alive = yield* create({ runtime: "claude-code" })
    const erroring = yield* create({ runtime: "claude-code" })
    for (const id of [gone, alive, erroring]) yield* setStatus(id, "online")
    const requests = yield* Ref.make<ReadonlyArray<string>>([])
    // Scripted Docker backend: `gone` is not running, `erroring`'s engine cannot tell (the port then answers running,
    // §8.2), the rest run. The container capability is what marks the backend as Docker; its listing is unused here.
    const provisioner = Layer.mergeAll(
      Layer.succeed(Provisioner, {
        start: () => Effect.die("unused"),
        stop: () => Effect.void,
        isRunning: (ref) => Effect.succeed(ref.id !== gone)
      }),
      Layer.succeed(ManagedContainers, {
        listManaged: Effect.succeed([]),
        removeManaged: () => Effect.void,
        locateContainer: () => Effect.succeed({ tried: [], found: Option.none() })
      })
    )
    const autoRestart = Layer.succeed(AutoRestart, { request: (id, source) => Ref.update(requests, (l) => [...l, `${id}:${source}`]) })
    yield* HealthSweep.dockerPass.pipe(Effect.provide(Layer.merge(provisioner, autoRestart)))
    const st = new Map((yield* candidates.refs([gone, alive, erroring])).map((r) => [r.id, r.status] as const))
    expect([st.get(gone), st.get(alive), st.get(erroring)]).toEqual(["offline", "online", "online"])
    expect(yield* Ref.get(requests)).toEqual([`${gone}:auto_restart`])
  }).pipe(Effect.provide(Layer.mergeAll(persistence, EventBusMemory.layer))))
