import { CpServer } from "@berth/adapters/testing"
import { CpProvisioner } from "@berth/adapters"
import type { Errors, StartSpec } from "@berth/core"
import { ContainerVolumes, MachineConsole, ManagedContainers, Provisioner, WorkspaceId } from "@berth/core"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Fiber, Layer, Option, Redacted, Schema, TestClock } from "effect"
import { cpAndProvisioner, credentials, optionsFor, withLogLines, workspaceId } from "./CpFixtures.js"
import { startSpec } from "../support/StartSpecs.js"

const id = Schema.decodeSync(WorkspaceId.WorkspaceId)(workspaceId)
const instanceId = "i-0abc123def4567890"
const ref = { id, instanceId }

const spec: StartSpec = startSpec({
  id,
  runtime: "hermes",
  tier: 3,
  env: { MODEL: "anthropic/claude-sonnet-4", PARENT_ID: "p-1" },
  configFiles: { "config.yaml": "name: x\n" },
  platformUrl: "http://127.0.0.1:8080"
})

/** The failure of an operation expected to fail with `ProvisionFailed`. */
const failureOf = <A>(effect: Effect.Effect<A, Errors.ProvisionFailed | Errors.NoBackend>) =>
  Effect.gen(function* () {
    const result = yield* Effect.either(effect)
    if (Either.isRight(result)) return expect.unreachable("the operation succeeded")
    if (result.left._tag !== "ProvisionFailed") return expect.unreachable(`failed with ${result.left._tag}`)
    return result.left
  })

const provisionHeaders = {
  authorization: `Bearer ${credentials.sharedSecret}`,
  "x-molecule-admin-token": credentials.adminToken
}

describe("CpProvisioner.start", () => {
  it.scoped("POSTs the contract's body with the provision credentials and returns the machine id on 201", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        const result = yield* provisioner.start(spec)
        const [request] = yield* cp.requests()
        expect(request?.method).toBe("POST")
        expect(request?.path).toBe("/cp/workspaces/provision")
        expect(request?.query).toEqual({})
        expect(request?.headers).toMatchObject({ ...provisionHeaders, "content-type": "application/json" })
        expect(JSON.parse(request?.body ?? "")).toEqual({
          org_id: "org-42",
          workspace_id: workspaceId,
          runtime: "hermes",
          tier: 3,
          platform_url: "http://127.0.0.1:8080",
          env: { MODEL: "anthropic/claude-sonnet-4", PARENT_ID: "p-1" }
        })
        const machine = (yield* cp.machines).get(workspaceId)
        expect(machine).toMatch(/^i-/)
        expect(result).toEqual({ url: null, instanceId: machine })
        expect(lines).toContain(`CPProvisioner: workspace ${workspaceId} started as machine ${machine} via control plane`)
      })
    ))

  it.scoped("only 201 is success: a 200 with a machine id is a non-retryable failure", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("provision", CpServer.respond(200, { instance_id: "i-1", state: "running" }))
      const failure = yield* failureOf(provisioner.start(spec))
      expect(failure.message).toBe(`cp provisioner: provision failed (200): {"instance_id":"i-1","state":"running"}`)
      expect([failure.operation, failure.workspaceId, failure.status, failure.retryable]).toEqual(["start", workspaceId, 200, false])
    }))

  it.scoped("a refusal reports the body's error field; 5xx is retryable, 4xx is not", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("provision", CpServer.respond(500, { error: "quota exceeded", detail: "x" }), { times: 1 })
      yield* cp.answer("provision", CpServer.respond(403, "  forbidden by policy \n"), { times: 1 })
      const server = yield* failureOf(provisioner.start(spec))
      expect(server.message).toBe("cp provisioner: provision failed (500): quota exceeded")
      expect(server.excerpt).toBe(`{"error":"quota exceeded","detail":"x"}`)
      expect(server.retryable).toBe(true)
      const client = yield* failureOf(provisioner.start(spec))
      expect(client.message).toBe("cp provisioner: provision failed (403): forbidden by policy")
      expect([client.status, client.excerpt, client.retryable]).toEqual([403, "forbidden by policy", false])
    }))

  it.scoped("a 201 without an instance id is a failure, not a machine nobody can stop", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("provision", CpServer.respond(201, { state: "pending" }))
      const failure = yield* failureOf(provisioner.start(spec))
      expect(failure.message).toBe(`cp provisioner: provision ${workspaceId}: undecodable 201 answer: {"state":"pending"}`)
      expect(failure.retryable).toBe(false)
    }))
})

describe("CpProvisioner.stop", () => {
  it.scoped("DELETEs the workspace with its instance id; 200, 202 and 204 all succeed", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      for (const status of [200, 202, 204]) {
        yield* cp.answer("stop", CpServer.respond(status, status === 204 ? "" : { ok: true }), { times: 1 })
        yield* provisioner.stop(ref)
      }
      const requests = yield* cp.requests()
      expect(requests).toHaveLength(3)
      for (const request of requests) {
        expect([request.method, request.path, request.query]).toEqual([
          "DELETE",
          `/cp/workspaces/${workspaceId}`,
          { instance_id: instanceId }
        ])
        expect(request.headers).toMatchObject(provisionHeaders)
      }
    }))

  it.scoped("stops the machine start made (the CP's record of it is gone)", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      const { instanceId: made } = yield* provisioner.start(spec)
      expect(yield* provisioner.isRunning({ id, instanceId: made })).toBe(true)
      yield* provisioner.stop({ id, instanceId: made })
      expect((yield* cp.machines).has(workspaceId)).toBe(false)
      expect(yield* provisioner.isRunning({ id, instanceId: made })).toBe(false)
    }))

  it.scoped("without an instance id on file nothing is sent, and that is logged", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        yield* provisioner.stop({ id, instanceId: null })
        yield* provisioner.stop({ id, instanceId: " " })
        expect(yield* cp.requests()).toEqual([])
        expect(lines).toContain(`CP provisioner: Stop for ${workspaceId} — no instance_id on file, nothing to do`)
      })
    ))

  it.scoped("another status fails with at most the first 512 bytes of the body, trimmed", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      const body = "   \n" + Array.from({ length: 1996 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("")
      expect(Buffer.byteLength(body)).toBe(2000)
      yield* cp.answer("stop", CpServer.respond(503, body))
      const failure = yield* failureOf(provisioner.stop(ref))
      const excerpt = body.slice(0, 512).trim()
      expect(excerpt).toHaveLength(508)
      expect(failure.excerpt).toBe(excerpt)
      expect(failure.message).toBe(`cp provisioner: stop ${workspaceId}: unexpected 503: ${excerpt}`)
      expect([failure.operation, failure.workspaceId, failure.status, failure.retryable]).toEqual(["stop", workspaceId, 503, true])
    }))

  it.scoped("the excerpt never cuts a character in two", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      const body = "x".repeat(511) + "é and more" // é is two bytes: bytes 511 and 512
      yield* cp.answer("stop", CpServer.respond(404, body))
      const failure = yield* failureOf(provisioner.stop(ref))
      expect(failure.excerpt).toBe("x".repeat(511))
      expect(failure.retryable).toBe(false)
    }))

  it.scoped("a dropped connection is a retryable transport failure", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("stop", CpServer.drop)
      const failure = yield* failureOf(provisioner.stop(ref))
      expect(failure.message).toBe("cp provisioner: stop: socket hang up")
      expect([failure.status, failure.excerpt, failure.retryable]).toEqual([undefined, undefined, true])
    }))
})

describe("CpProvisioner transport", () => {
  it.scoped("a CP that is not listening: `cp provisioner: send: …`", () =>
    Effect.gen(function* () {
      const closedUrl = yield* Effect.scoped(Effect.map(CpServer.make, (cp) => cp.url))
      const { provisioner } = yield* cpAndProvisioner({ baseUrl: closedUrl })
      const failure = yield* failureOf(provisioner.start(spec))
      expect(failure.message).toBe(`cp provisioner: send: connect ECONNREFUSED ${closedUrl.replace("http://", "")}`)
      expect(failure.retryable).toBe(true)
    }))

  it.scoped("a hanging CP is given up after the 120 s client timeout, not before", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("provision", CpServer.hang)
      const fiber = yield* Effect.fork(Effect.either(provisioner.start(spec)))
      yield* cp.awaitRequests(1)
      yield* TestClock.adjust("119 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(fiber)
      expect(Either.isLeft(result) && result.left.message).toBe("cp provisioner: send: timed out after 2m")
    }))

  it.scoped("the timeout is an option", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner({ timeout: "5 seconds" })
      yield* cp.answer("stop", CpServer.hang)
      const fiber = yield* Effect.fork(Effect.either(provisioner.stop(ref)))
      yield* cp.awaitRequests(1)
      yield* TestClock.adjust("5 seconds")
      const result = yield* Fiber.join(fiber)
      expect(Either.isLeft(result) && result.left.message).toBe("cp provisioner: stop: timed out after 5s")
    }))

  it.scoped("empty credentials are not sent", () =>
    Effect.gen(function* () {
      const blank = Redacted.make("")
      const { cp, provisioner } = yield* cpAndProvisioner({ sharedSecret: blank, adminApiToken: blank, adminToken: blank })
      yield* provisioner.stop(ref)
      yield* provisioner.consoleOutput(ref)
      for (const request of yield* cp.requests()) {
        expect(request.headers).not.toHaveProperty("authorization")
        expect(request.headers).not.toHaveProperty("x-molecule-admin-token")
      }
      expect(yield* cp.requests()).toHaveLength(2)
    }))

  it.scoped("nothing beyond the contract's headers: no trace context goes to the CP", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* provisioner.stop(ref)
      const [request] = yield* cp.requests()
      expect(Object.keys(request?.headers ?? {}).sort()).toEqual(
        ["authorization", "connection", "host", "x-molecule-admin-token"]
      )
    }))
})

describe("CpProvisioner.isRunning", () => {
  it.scoped("GETs the status with the instance id: running iff state is running", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("status", CpServer.respond(200, { state: "running" }), { times: 1 })
      yield* cp.answer("status", CpServer.respond(200, { state: "stopping" }), { times: 1 })
      expect(yield* provisioner.isRunning(ref)).toBe(true)
      expect(yield* provisioner.isRunning(ref)).toBe(false)
      const [request] = yield* cp.requests()
      expect([request?.method, request?.path, request?.query]).toEqual([
        "GET",
        `/cp/workspaces/${workspaceId}/status`,
        { instance_id: instanceId }
      ])
      expect(request?.headers).toMatchObject(provisionHeaders)
    }))

  it.scoped("no instance id: not running, and the CP is not asked", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      expect(yield* provisioner.isRunning({ id, instanceId: null })).toBe(false)
      expect(yield* cp.requests()).toEqual([])
    }))

  it.scoped("when the CP cannot tell (5xx, dropped, garbage) the answer is running, and the reason is logged", () =>
    withLogLines((lines) =>
      Effect.gen(function* () {
        const { cp, provisioner } = yield* cpAndProvisioner()
        yield* cp.answer("status", CpServer.respond(500, "db down"), { times: 1 })
        yield* cp.answer("status", CpServer.drop, { times: 1 })
        yield* cp.answer("status", CpServer.respond(200, "<html>"), { times: 1 })
        expect(yield* provisioner.isRunning(ref)).toBe(true)
        expect(yield* provisioner.isRunning(ref)).toBe(true)
        expect(yield* provisioner.isRunning(ref)).toBe(true)
        expect(lines).toEqual([
          `cp provisioner: status ${workspaceId}: unexpected 500: db down (assuming running)`,
          "cp provisioner: status: socket hang up (assuming running)",
          `cp provisioner: status ${workspaceId}: undecodable 200 answer: <html> (assuming running)`
        ])
      })
    ))
})

describe("CpProvisioner.consoleOutput", () => {
  it.scoped("GETs the admin console route with the admin API token and returns the output", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("console", CpServer.respond(200, { output: "[  0.0] Linux version 6.8\nready\n" }))
      expect(yield* provisioner.consoleOutput(ref)).toBe("[  0.0] Linux version 6.8\nready\n")
      const [request] = yield* cp.requests()
      expect([request?.method, request?.path, request?.query]).toEqual([
        "GET",
        `/cp/admin/workspaces/${workspaceId}/console`,
        {}
      ])
      expect(request?.headers).toMatchObject({
        authorization: `Bearer ${credentials.adminApiToken}`,
        "x-molecule-admin-token": credentials.adminToken
      })
    }))

  it.scoped("another status is a failure with its excerpt", () =>
    Effect.gen(function* () {
      const { cp, provisioner } = yield* cpAndProvisioner()
      yield* cp.answer("console", CpServer.respond(502, { error: "ec2 throttled" }))
      const failure = yield* failureOf(provisioner.consoleOutput(ref))
      expect(failure.message).toBe(`cp provisioner: console ${workspaceId}: unexpected 502: {"error":"ec2 throttled"}`)
      expect([failure.operation, failure.status, failure.retryable]).toEqual(["consoleOutput", 502, true])
    }))
})

describe("CpProvisioner capabilities", () => {
  it.scoped("the layer provides the provisioner and the machine console, and no container capability", () =>
    Effect.gen(function* () {
      const cp = yield* CpServer.make
      const context = yield* Layer.build(CpProvisioner.layer(optionsFor(cp.url)).pipe(Layer.provide(NodeHttpClient.layer)))
      expect(Option.isSome(Context.getOption(context, Provisioner))).toBe(true)
      expect(Option.isSome(Context.getOption(context, MachineConsole))).toBe(true)
      expect(Option.isNone(Context.getOption(context, ContainerVolumes))).toBe(true)
      expect(Option.isNone(Context.getOption(context, ManagedContainers))).toBe(true)
      expect(yield* cp.requests()).toEqual([])
    }))
})
