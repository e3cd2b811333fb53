/** Provision-timeout sweeper (§7.5) over PGlite repositories and the filesystem template catalogue. */
import { EventLog, ProvisionTimeoutSweep, WorkspaceRepository } from "@berth/core"
import { EventBusMemory, TemplateCatalogueFs } from "@berth/adapters"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { backdate, create } from "../sql/RepositorySuite.js"

// The "good" fixture template declares runtime hermes with provision_timeout_seconds 1200 (beats hermes' 30 min).
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../templates/fixtures")
const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)

layer(Layer.mergeAll(persistence, EventBusMemory.layer, TemplateCatalogueFs.layer(fixtures)))("provision timeout", (it) => {
  it.effect("template 1200 s spares an 11-minute row and fails a 21-minute one", () =>
    Effect.gen(function* () {
      const repo = yield* WorkspaceRepository
      const young = yield* create({ runtime: "hermes" })
      const old = yield* create({ runtime: "hermes" })
      yield* backdate(young, "updated_at", 11 * 60)
      yield* backdate(old, "updated_at", 21 * 60)
      yield* ProvisionTimeoutSweep.pass
      const st = new Map((yield* repo.refs([young, old])).map((r) => [r.id, r.status] as const))
      expect(st.get(young)).toBe("provisioning")
      expect(st.get(old)).toBe("failed")
      const events = yield* (yield* EventLog).latest(10, old)
      expect(events.find((e) => e.type === "WORKSPACE_PROVISION_FAILED")?.payload).toEqual({
        error: ProvisionTimeoutSweep.TIMEOUT_MESSAGE, timeout_secs: 1200, runtime: "hermes", source: "provision_timeout_sweep"
      })
    }))
})
