/**
 * The terminal diagnosis use case (§5.12) on the stores: the local stages over a scripted container backend (the
 * container's state on demand), the remote probe for a row with a machine, and the 30 s deadline.
 */
import type { DiagnoseStep } from "@berth/core"
import { ManagedContainers, RemoteTerminalProbe, TerminalDiagnosis, WorkspaceId, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { randomUUID } from "node:crypto"
import { databases } from "./Harness.js"
import { create } from "./Rows.js"

const probeSteps: ReadonlyArray<DiagnoseStep> = [{ name: "ssh-keygen", ok: true, durationMs: 5 }]

/** A probe answering `probeSteps`, or never for the machine `i-hangs`. */
const probe = Layer.succeed(RemoteTerminalProbe, {
  diagnose: (_id, instanceId) => (instanceId === "i-hangs" ? Effect.never : Effect.succeed(probeSteps))
})

/** Containers: `ws-<id>` exists and has exited for every workspace (as an engine would report a stopped agent). */
const exitedContainers = Layer.succeed(ManagedContainers, {
  listManaged: Effect.succeed([]),
  removeManaged: () => Effect.void,
  locateContainer: (id) => Effect.succeed({ tried: [`ws-${id}`], found: Option.some({ name: `ws-${id}`, running: false, state: "exited" }) })
})

const diagnose = (id: WorkspaceId.WorkspaceId) => Effect.flatMap(TerminalDiagnosis.TerminalDiagnosis, (d) => d.diagnose(id))

for (const db of databases) {
  describe(db.name, () => {
    const service = TerminalDiagnosis.TerminalDiagnosis.Default.pipe(Layer.provide(probe))
    layer(service.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })("diagnosis without containers", (it) => {
      it.effect("no instance and no container backend: the docker-available stage fails", () =>
        Effect.gen(function* () {
          const id = yield* create()
          expect(yield* diagnose(id)).toEqual({
            instanceId: "",
            steps: [{ name: "docker-available", ok: false, durationMs: 0, error: TerminalDiagnosis.dockerMissing }]
          })
        }))

      it.effect("an unknown workspace runs the local stages too", () =>
        Effect.gen(function* () {
          expect((yield* diagnose(WorkspaceId.unsafeMake(randomUUID()))).steps.map((s) => s.name)).toEqual(["docker-available"])
        }))

      it.effect("a machine on file is probed remotely", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* (yield* WorkspaceStore).setInstanceId(id, "i-0abc")
          expect(yield* diagnose(id)).toEqual({ instanceId: "i-0abc", steps: probeSteps })
        }))

      it.effect("a probe still running after 30 s is a failed deadline step", () =>
        Effect.gen(function* () {
          const id = yield* create()
          yield* (yield* WorkspaceStore).setInstanceId(id, "i-hangs")
          const fiber = yield* Effect.fork(diagnose(id))
          // Moved only once the deadline's sleep is registered: a move before it would be lost. A diagnosis that ends
          // first (it should not) stops the wait, so its outcome fails the assertion instead of hanging the test.
          const wake = (yield* TestClock.currentTimeMillis) + Duration.toMillis(TerminalDiagnosis.DEADLINE)
          while (!Chunk.some(yield* TestClock.sleeps(), (t) => t === wake) && Option.isNone(yield* Fiber.poll(fiber))) {
            yield* Effect.yieldNow()
          }
          yield* TestClock.adjust(TerminalDiagnosis.DEADLINE)
          const { steps } = yield* Fiber.join(fiber)
          expect(steps).toEqual([expect.objectContaining({ name: "deadline", ok: false, durationMs: 30_000 })])
        }))
    })

    layer(service.pipe(Layer.provide(exitedContainers), Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })("diagnosis over containers", (it) => {
      it.effect("the container is found but not running", () =>
        Effect.gen(function* () {
          const id = yield* create()
          const { steps } = yield* diagnose(id)
          expect(steps.map((s) => [s.name, s.ok, s.detail])).toEqual([
            ["docker-available", true, undefined],
            ["container-found", true, `ws-${id}`],
            ["container-running", false, "exited"]
          ])
        }))
    })
  })
}
