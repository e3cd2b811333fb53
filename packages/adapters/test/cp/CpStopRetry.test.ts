import { CpServer } from "@berth/adapters/testing"
import type { Errors } from "@berth/core"
import { CpStopRetry, WorkspaceId } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option, Schema, TestClock } from "effect"
import { cpAndProvisioner, withLogLines, workspaceId } from "./CpFixtures.js"
import { startSpec } from "../support/StartSpecs.js"

/**
 * Core's CP stop retry (§8.4) against the real CP provisioner and a real CP on loopback: the server's request log
 * counts the attempts, and the clock moves only after the server has seen each one.
 */
const id = Schema.decodeSync(WorkspaceId.WorkspaceId)(workspaceId)
const opts = { id: workspaceId, source: "Restart" }

describe("cpStopWithRetry over the CP provisioner", () => {
  it.scoped("a stop answering 503 is attempted at t = 0, 1 s, 3 s, then Exhausted with LEAK-SUSPECT", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        yield* cp.answer("stop", CpServer.respond(503, "cp busy"))
        const ref = { id, instanceId: "i-0leak" }
        const fiber = yield* Effect.fork(CpStopRetry.cpStopWithRetry(provisioner.stop(ref), opts))
        yield* cp.awaitRequests(1, "stop") // t = 0
        yield* TestClock.adjust("999 millis")
        expect(yield* cp.requests("stop")).toHaveLength(1)
        yield* TestClock.adjust("1 millis")
        yield* cp.awaitRequests(2, "stop") // t = 1 s
        yield* TestClock.adjust("1999 millis")
        expect(yield* cp.requests("stop")).toHaveLength(2)
        yield* TestClock.adjust("1 millis")
        yield* cp.awaitRequests(3, "stop") // t = 3 s
        const outcome = yield* Fiber.join(fiber)
        expect(outcome._tag).toBe("Exhausted")
        if (outcome._tag !== "Exhausted") return
        const message = `cp provisioner: stop ${workspaceId}: unexpected 503: cp busy`
        expect(outcome.attempts).toBe(3)
        expect(outcome.lastErrorMessage).toBe(message)
        expect(outcome.lastError).toMatchObject({ _tag: "ProvisionFailed", status: 503, excerpt: "cp busy" })
        yield* TestClock.adjust("1 minute") // no attempt after the last one
        const requests = yield* cp.requests("stop")
        expect(requests).toHaveLength(3)
        expect(requests.every((r) => r.query["instance_id"] === "i-0leak")).toBe(true)
        expect(lines).toEqual([
          `LEAK-SUSPECT cpProv.Stop workspace_id=${workspaceId} source=Restart attempts=3 last_err=${JSON.stringify(message)}`
        ])
      })
    ))

  it.scoped("fail twice then succeed: Succeeded on attempt 3, logged, and the machine is gone", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        const { instanceId } = yield* provisioner.start(startSpec({ id, runtime: "hermes" }))
        yield* cp.answer("stop", CpServer.respond(503, "cp busy"), { times: 2 })
        const fiber = yield* Effect.fork(
          CpStopRetry.cpStopWithRetry(provisioner.stop({ id, instanceId }), { id: workspaceId, source: "Auto-restart" })
        )
        yield* cp.awaitRequests(1, "stop")
        yield* TestClock.adjust("1 second")
        yield* cp.awaitRequests(2, "stop")
        expect((yield* cp.machines).has(workspaceId)).toBe(true)
        yield* TestClock.adjust("2 seconds")
        yield* cp.awaitRequests(3, "stop")
        expect(yield* Fiber.join(fiber)).toEqual({ _tag: "Succeeded", attempt: 3 })
        expect((yield* cp.machines).has(workspaceId)).toBe(false)
        expect(lines.filter((l) => l.includes("cpProv.Stop"))).toEqual([
          `Auto-restart: cpProv.Stop(${workspaceId}) succeeded on attempt 3`
        ])
      })
    ))

  it.scoped("interrupted during a wait: Interrupted, distinct from Exhausted, no further attempt, no LEAK-SUSPECT", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        yield* cp.answer("stop", CpServer.respond(503, "cp busy"))
        const seen = yield* Deferred.make<CpStopRetry.CpStopOutcome<Errors.ProvisionFailed | Errors.NoBackend>>()
        // The documented form for a caller that acts on the outcome: stop and follow-up in one uninterruptible step.
        const fiber = yield* Effect.fork(
          Effect.uninterruptible(
            CpStopRetry.cpStopWithRetry(provisioner.stop({ id, instanceId: "i-0abc" }), opts).pipe(
              Effect.tap((outcome) => Deferred.succeed(seen, outcome))
            )
          )
        )
        yield* cp.awaitRequests(1, "stop")
        yield* TestClock.adjust("500 millis")
        yield* Fiber.interrupt(fiber)
        const outcome = yield* Deferred.await(seen)
        expect(outcome._tag).toBe("Interrupted")
        if (outcome._tag !== "Interrupted") return
        expect(outcome.attempts).toBe(1)
        expect(Option.map(outcome.lastError, (e) => e.message)).toEqual(
          Option.some(`cp provisioner: stop ${workspaceId}: unexpected 503: cp busy`)
        )
        yield* TestClock.adjust("1 minute")
        expect(yield* cp.requests("stop")).toHaveLength(1)
        expect(lines.some((l) => l.startsWith("LEAK-SUSPECT"))).toBe(false)
        expect(lines).toEqual([
          `Restart: cpProv.Stop(${workspaceId}) abandoned mid-retry: ctx cancelled (last_err=cp provisioner: stop ${workspaceId}: unexpected 503: cp busy)`
        ])
      })
    ))
})
