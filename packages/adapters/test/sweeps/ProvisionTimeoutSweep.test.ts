/** Provision-timeout sweeper (§7.5) over PGlite repositories and the filesystem template catalogue. */
import {
  defaultProvisionSettings, EventLog, ProvisionSettings, ProvisionTimeoutSweep, SweepCandidates
} from "@berth/core"
import { NodeFileSystem } from "@effect/platform-node"
import { EventBusMemory, TemplateCatalogueFs } from "@berth/adapters"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { backdate, create } from "../sql/RepositorySuite.js"

/** Two rows of `runtime`, aged `spared` and `failed` seconds, after one pass: their statuses and the failure's `timeout_secs`. */
const sweepPair = (runtime: string, spared: number, failed: number) =>
  Effect.gen(function* () {
    const candidates = yield* SweepCandidates
    const young = yield* create({ runtime })
    const old = yield* create({ runtime })
    yield* backdate(young, "updated_at", spared)
    yield* backdate(old, "updated_at", failed)
    yield* ProvisionTimeoutSweep.pass
    const st = new Map((yield* candidates.refs([young, old])).map((r) => [r.id, r.status] as const))
    const events = yield* (yield* EventLog).latest(10, old)
    const payload = events.find((e) => e.type === "WORKSPACE_PROVISION_FAILED")?.payload
    return { young: st.get(young), old: st.get(old), timeoutSecs: payload?.["timeout_secs"] }
  })

// The "good" fixture template declares runtime hermes with provision_timeout_seconds 1200 (beats hermes' 30 min).
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../templates/fixtures")
const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)

layer(Layer.mergeAll(persistence, EventBusMemory.layer, TemplateCatalogueFs.layer(fixtures).pipe(Layer.provide(NodeFileSystem.layer))))("provision timeout", (it) => {
  it.effect("template 1200 s spares an 11-minute row and fails a 21-minute one", () =>
    Effect.gen(function* () {
      const candidates = yield* SweepCandidates
      const young = yield* create({ runtime: "hermes" })
      const old = yield* create({ runtime: "hermes" })
      yield* backdate(young, "updated_at", 11 * 60)
      yield* backdate(old, "updated_at", 21 * 60)
      yield* ProvisionTimeoutSweep.pass
      const st = new Map((yield* candidates.refs([young, old])).map((r) => [r.id, r.status] as const))
      expect(st.get(young)).toBe("provisioning")
      expect(st.get(old)).toBe("failed")
      const events = yield* (yield* EventLog).latest(10, old)
      expect(events.find((e) => e.type === "WORKSPACE_PROVISION_FAILED")?.payload).toEqual({
        error: ProvisionTimeoutSweep.TIMEOUT_MESSAGE, timeout_secs: 1200, runtime: "hermes", source: "provision_timeout_sweep"
      })
    }))

  // §7.5 precedence, one level per test: env > template > hermes 30 min > 10 min.
  it.effect("PROVISION_TIMEOUT_SECONDS beats the template", () =>
    Effect.gen(function* () {
      expect(yield* sweepPair("hermes", 100, 140)).toEqual({ young: "provisioning", old: "failed", timeoutSecs: 120 })
    }).pipe(Effect.provideService(ProvisionSettings, { ...defaultProvisionSettings, provisionTimeoutSeconds: "120" })))

  it.effect("an invalid PROVISION_TIMEOUT_SECONDS falls through to the template", () =>
    Effect.gen(function* () {
      expect(yield* sweepPair("hermes", 140, 21 * 60)).toEqual({ young: "provisioning", old: "failed", timeoutSecs: 1200 })
    }).pipe(Effect.provideService(ProvisionSettings, { ...defaultProvisionSettings, provisionTimeoutSeconds: "-5" })))

  it.effect("no template for the runtime: codex gets the 10-minute default", () =>
    Effect.gen(function* () {
      expect(yield* sweepPair("codex", 9 * 60, 11 * 60)).toEqual({ young: "provisioning", old: "failed", timeoutSecs: 600 })
    }))
})

// Without the fixture templates, hermes falls back to its own 30-minute default.
layer(Layer.mergeAll(persistence, EventBusMemory.layer, TemplateCatalogueFs.layer(path.join(fixtures, "missing")).pipe(Layer.provide(NodeFileSystem.layer))))(
  "provision timeout without templates", (it) => {
    it.effect("hermes: 29 minutes spared, 31 failed (runtime default)", () =>
      Effect.gen(function* () {
        expect(yield* sweepPair("hermes", 29 * 60, 31 * 60)).toEqual({ young: "provisioning", old: "failed", timeoutSecs: 1800 })
      }))
  })
