/**
 * Issue 10, CP faults: the real CP provisioner, driving a real CP server on loopback that answers 5xx, odd bodies,
 * slowly, never, or by dropping the connection, under the real workspace lifecycle on Postgres. Every failed provision
 * ends `failed` with a reason (`last_sample_error`, one `WORKSPACE_PROVISION_FAILED`, the CP's own words in the logs),
 * and no workspace stays `provisioning` past its deadline: the pipeline's backend deadline and the CP client timeout
 * are Effect time (driven by `TestClock`), the provision-timeout sweep's age is database time (`updated_at` backdated).
 */
import { NodeFileSystem } from "@effect/platform-node"
import type { CpConfig } from "@berth/adapters"
import { CpServer, Testing } from "@berth/adapters/testing"
import type { WorkspaceId } from "@berth/core"
import {
  CpOrphanReconciler, EventLog, ProvisionPipeline, ProvisionTimeout, ProvisionTimeoutSweep, SweepCandidates, WorkspaceStore
} from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import * as TemplateCatalogueFs from "../../src/templates/TemplateCatalogueFs.js"
import { cpAndProvisioner } from "../cp/CpFixtures.js"
import { adjustOnceAsleep, backendLayer, configsDir, withLifecycleOver } from "../lifecycle/Harness.js"
import { backdate, create, event } from "../sql/RepositorySuite.js"
import { postgresPersistence } from "./PostgresPersistence.js"

const url = await Testing.freshPostgresDatabase("berth_rel_cp")

const generated = { _tag: "Generated", configYaml: "name: \"ws\"\nruntime: claude-code\n" } as const
/** The client timeout of these tests' CP provisioner: short, and distinct from every other sleep in play. */
const clientTimeout = Duration.seconds(7)
const machine = { instance_id: "i-0123456789abcdef0", private_ip: "127.0.0.1", state: "pending" }

/** One way the CP misbehaves on a provision, and the words the logs must carry for it. */
interface Fault {
  readonly name: string
  /** What the CP answers to the provision (none: the CP is not listening at all). */
  readonly reply?: CpServer.Reply
  readonly options?: Partial<CpConfig.CpOptions>
  /** Effect time to let pass once the request is on the wire (hangs and answers slower than a deadline). */
  readonly wait?: Duration.Duration
  /** The logged cause, after `Provisioner: provision of <id> failed: provisioning failed `. */
  readonly reason: (id: string) => string
}

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.flatMap(store.get(id), (o) => Effect.orDie(o)))

const provisionFailures = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(EventLog, (log) => log.latest(100, id)), (events) =>
    events.filter((e) => e.type === "WORKSPACE_PROVISION_FAILED").map((e) => e.payload))

/** The logged cause of a CP answer or transport failure. */
const said = (detail: string) => `ProvisionFailed: cp provisioner: ${detail}`

const catalogue = TemplateCatalogueFs.layerFresh(configsDir([])).pipe(Layer.provide(NodeFileSystem.layer))

describe.skipIf(url === undefined)("CP faults under the real lifecycle (Postgres)", () => {
  layer(postgresPersistence(url ?? ""), { timeout: "120 seconds" })((it) => {
    it.effect("every CP fault on provision fails the workspace with a reason, once", () =>
      Effect.gen(function* () {
        const closedUrl = yield* Effect.scoped(Effect.map(CpServer.make, (cp) => cp.url))
        const faults: ReadonlyArray<Fault> = [
          { name: "500 with an error field", reply: CpServer.respond(500, { error: "quota exceeded" }),
            reason: () => said("provision failed (500): quota exceeded") },
          { name: "503 plain text", reply: CpServer.respond(503, "upstream busy"),
            reason: () => said("provision failed (503): upstream busy") },
          { name: "502 empty body", reply: CpServer.respond(502), reason: () => said("provision failed (502): ") },
          { name: "429", reply: CpServer.respond(429, { error: "slow down" }), reason: () => said("provision failed (429): slow down") },
          { name: "500 with a 1 MiB body", reply: CpServer.respond(500, "E".repeat(1024 * 1024)),
            reason: () => said(`provision failed (500): ${"E".repeat(512)}`) },
          { name: "201 that is not JSON", reply: CpServer.respond(201, "<html>oops</html>"),
            reason: (id) => said(`provision ${id}: undecodable 201 answer: <html>oops</html>`) },
          { name: "201 without a machine id", reply: CpServer.respond(201, { instance_id: "" }),
            reason: (id) => said(`provision ${id}: undecodable 201 answer: {"instance_id":""}`) },
          { name: "200 instead of 201", reply: CpServer.respond(200, machine),
            reason: () => said(`provision failed (200): ${JSON.stringify(machine)}`) },
          { name: "dropped connection", reply: CpServer.drop, reason: () => said("send: socket hang up") },
          { name: "not listening", options: { baseUrl: closedUrl },
            reason: () => said(`send: connect ECONNREFUSED ${closedUrl.replace("http://", "")}`) },
          { name: "hang", reply: CpServer.hang, wait: clientTimeout, reason: () => said("send: timed out after 7s") },
          { name: "answer slower than the client timeout", reply: CpServer.respond(201, machine, { delay: "1 hour" }),
            wait: clientTimeout, reason: () => said("send: timed out after 7s") },
          // A client without a usable timeout: the pipeline's own backend deadline still ends the provision.
          { name: "hang past the pipeline's backend deadline", reply: CpServer.hang, options: { timeout: "1 day" },
            wait: ProvisionPipeline.BACKEND_DEADLINE, reason: () => "TimeoutException: Operation timed out after '3m'" }
        ]
        for (const fault of faults) {
          const id = yield* create({ name: fault.name })
          yield* Effect.scoped(Effect.gen(function* () {
            const { cp, provisioner } = yield* cpAndProvisioner({ timeout: clientTimeout, ...fault.options })
            if (fault.reply !== undefined) yield* cp.answer("provision", fault.reply)
            const logs = yield* withLifecycleOver(backendLayer(provisioner), (h) => Effect.gen(function* () {
              yield* h.lifecycle.provisionInBackground(id, generated)
              if (fault.wait !== undefined) {
                yield* cp.awaitRequests(1, "provision")
                yield* adjustOnceAsleep(fault.wait)
              }
              yield* h.awaitIdle
              return h.logs()
            }))
            const ws = yield* row(id)
            expect([ws.status, ws.lastSampleError, ws.instanceId], fault.name).toEqual(["failed", "provisioning failed", null])
            expect(yield* provisionFailures(id), fault.name).toEqual([{ error: "provisioning failed", source: "provision" }])
            // Clients read `provisioning failed`; the CP's own words (a bounded excerpt) are in the logs.
            const failureLine = logs.find((l) => l.startsWith(`Provisioner: provision of ${id} failed:`))
            expect(failureLine, fault.name).toBe(`Provisioner: provision of ${id} failed: provisioning failed ${fault.reason(id)}`)
            // No provision is retried behind the caller's back: one request, one outcome.
            if (fault.options?.baseUrl === undefined) expect((yield* cp.requests("provision")).length, fault.name).toBe(1)
          }))
        }
      }))

    it.effect("a slow CP that does make the machine leaves the row provisioning until the sweep fails it past its deadline", () =>
      Effect.gen(function* () {
        const id = yield* create({ name: "slow-machine" })
        yield* Effect.scoped(Effect.gen(function* () {
          const { cp, provisioner } = yield* cpAndProvisioner({ timeout: clientTimeout })
          yield* cp.answer("provision", CpServer.respond(201, machine, { delay: "400 millis" }))
          yield* withLifecycleOver(backendLayer(provisioner), (h) => Effect.zipRight(h.lifecycle.provisionInBackground(id, generated), h.awaitIdle))
        }))
        expect([(yield* row(id)).status, (yield* row(id)).instanceId]).toEqual(["provisioning", machine.instance_id])

        // The agent never registers. Just before its deadline (database time) the sweep leaves it alone…
        const deadline = Duration.toSeconds(ProvisionTimeout.DEFAULT)
        yield* backdate(id, "updated_at", deadline - 5)
        yield* ProvisionTimeoutSweep.pass.pipe(Effect.provide(catalogue))
        expect((yield* row(id)).status).toBe("provisioning")
        // …and just past it, fails it with the contract's reason.
        yield* backdate(id, "updated_at", deadline + 5)
        yield* ProvisionTimeoutSweep.pass.pipe(Effect.provide(catalogue))
        const ws = yield* row(id)
        expect([ws.status, ws.lastSampleError]).toEqual(["failed", ProvisionTimeoutSweep.TIMEOUT_MESSAGE])
        expect(yield* provisionFailures(id)).toEqual([{
          error: ProvisionTimeoutSweep.TIMEOUT_MESSAGE, timeout_secs: deadline, runtime: "claude-code", source: "provision_timeout_sweep"
        }])
        // Nothing anywhere in this database is left provisioning past its deadline.
        for (const stuck of yield* (yield* SweepCandidates).provisioningRows) {
          expect(stuck.ageSeconds).toBeLessThanOrEqual(deadline)
        }
      }))

    it.effect("the CP orphan reconciler keeps a removed workspace's machine through CP faults and stops it once the CP answers", () =>
      Effect.gen(function* () {
        const store = yield* WorkspaceStore
        const id = yield* create({ name: "removed-with-machine" })
        yield* store.setInstanceId(id, machine.instance_id)
        yield* store.markRemoved([{ id, event: event("WORKSPACE_REMOVED", { source: "delete" }) }])
        yield* Effect.scoped(Effect.gen(function* () {
          const { cp, provisioner } = yield* cpAndProvisioner({ timeout: clientTimeout })
          const cycle = CpOrphanReconciler.pass.pipe(Effect.provide(backendLayer(provisioner)))
          const faults: ReadonlyArray<{ readonly reply: CpServer.Reply; readonly wait?: Duration.Duration }> = [
            { reply: CpServer.respond(503, "busy") },
            { reply: CpServer.drop },
            { reply: CpServer.hang, wait: clientTimeout }
          ]
          for (const [n, fault] of faults.entries()) {
            yield* cp.answer("stop", fault.reply, { times: 1 })
            const running = yield* Effect.fork(cycle)
            if (fault.wait !== undefined) {
              yield* cp.awaitRequests(n + 1, "stop")
              yield* adjustOnceAsleep(fault.wait)
            }
            yield* running.await
            expect((yield* row(id)).instanceId).toBe(machine.instance_id)
          }
          yield* cycle
          expect((yield* row(id)).instanceId).toBeNull()
          const stops = yield* cp.requests("stop")
          expect(stops.map((r) => r.query["instance_id"])).toEqual(Array(4).fill(machine.instance_id))
        }))
      }))
  })
})
