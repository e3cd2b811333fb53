/**
 * Issue 10: a sweep must never undo a status change written while it runs. The provision-timeout sweep reads the
 * `provisioning` rows, then the template catalogue, then writes; a restart that lands in between starts a fresh
 * deadline, and the sweep's write is guarded by the age again (§7.5: "guarded by status still `provisioning` and age
 * still past the deadline"). The catalogue below is the real one; it only lets the restart land at that moment, which
 * no real scheduling produces on demand.
 */
import { Testing } from "@berth/adapters/testing"
import {
  EventLog, ProvisionTimeout, ProvisionTimeoutSweep, Reprovisioning, StatusWrites, TemplateCatalogue, WorkspaceStore
} from "@berth/core"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, Option } from "effect"
import * as TemplateCatalogueFs from "../../src/templates/TemplateCatalogueFs.js"
import { configsDir } from "../lifecycle/Harness.js"
import { backdate, create } from "../sql/RepositorySuite.js"
import { postgresPersistence } from "./PostgresPersistence.js"

const url = await Testing.freshPostgresDatabase("berth_rel_race")

describe.skipIf(url === undefined)("sweep races (Postgres)", () => {
  layer(postgresPersistence(url ?? ""), { timeout: "60 seconds" })((it) => {
    it.effect("a workspace restarted while the provision-timeout sweep runs keeps its fresh provision", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const statusWrites = yield* StatusWrites
        const stale = yield* create({ name: "restarted-meanwhile" })
        const deadline = Duration.toSeconds(ProvisionTimeout.DEFAULT)
        yield* backdate(stale, "updated_at", deadline + 60)
        const real = yield* TemplateCatalogueFs.make(configsDir([])).pipe(Effect.provide(NodeFileSystem.layer))
        // The restart lands after the sweep has read the rows and before it writes.
        const restartDuringSweep = TemplateCatalogue.of({
          ...real,
          list: Effect.zipLeft(real.list, Effect.flatMap(store.get(stale), (row) =>
            Reprovisioning.markProvisioning(statusWrites, Option.getOrThrow(row), "user_restart")).pipe(Effect.orDie))
        })
        yield* ProvisionTimeoutSweep.pass.pipe(Effect.provideService(TemplateCatalogue, restartDuringSweep))
        const row = Option.getOrThrow(yield* store.get(stale))
        expect([row.status, row.lastSampleError]).toEqual(["provisioning", null])
        const failed = (yield* (yield* EventLog).latest(100, stale)).filter((e) => e.type === "WORKSPACE_PROVISION_FAILED")
        expect(failed).toEqual([])
      }))
  })
})
