/**
 * The A2A proxy (§5.13) on the stores with a scripted transport and backend: what each way a call can fail means
 * (busy, unreachable, a dead container restarted, an unreadable answer), which URLs it trusts, the bound it forwards
 * with, and the rows it records. The wire and real agent processes are the HTTP suite's.
 */
import { EventBusMemory } from "@berth/adapters"
import { Rows } from "@berth/adapters/testing"
import type { AgentCall, WorkspaceId } from "@berth/core"
import {
  A2aProxy, ActivityFilter, ActivityRepository, AgentCallFailed, AgentTransport, AgentUrl, AutoRestart, DeploymentMode, EventLog, Provisioner,
  WorkspaceLifecycle, WorkspaceStore
} from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import { databases } from "./Harness.js"

/** What the scripted transport and engine do next, and what they were asked. */
const script: {
  answer: Effect.Effect<{ status: number; statusText: string; body: string }, AgentCallFailed>
  running: boolean
  calls: Array<AgentCall>
  restarts: Array<string>
} = { answer: Effect.succeed({ status: 200, statusText: "OK", body: "{}" }), running: true, calls: [], restarts: [] }

const transport = Layer.succeed(AgentTransport, {
  post: (call) => Effect.suspend(() => {
    script.calls.push(call)
    return script.answer
  })
})
const backend = Layer.succeed(Provisioner, {
  start: () => Effect.succeed({ url: null, instanceId: null }),
  stop: () => Effect.void,
  isRunning: () => Effect.sync(() => script.running)
})
const restarts = Layer.succeed(AutoRestart, { request: (id) => Effect.sync(() => void script.restarts.push(id)) })
const inertLifecycle = Layer.succeed(WorkspaceLifecycle, {
  provisionInBackground: () => Effect.void,
  restartInBackground: () => Effect.void,
  stopRemoved: () => Effect.succeed([]),
  cancel: () => Effect.void
})
/** Every host resolves to a public address, except `metadata.test`, which resolves to the cloud metadata one. */
const hosts = Layer.succeed(AgentUrl.HostResolver, {
  resolve: (host) => Effect.succeed(host === "metadata.test" ? ["169.254.169.254"] : ["93.184.216.34"])
})
const common = Layer.mergeAll(transport, backend, restarts, inertLifecycle, hosts, EventBusMemory.layer, Layer.succeed(DeploymentMode, { saasMode: false }))

const message = JSON.stringify({ method: "message/send", params: { message: { role: "user", parts: [] } } })
const canvasCall = (target: WorkspaceId.WorkspaceId, timeoutSeconds: Option.Option<number> = Option.none()) =>
  Effect.flatMap(A2aProxy, (proxy) => proxy.forward({ target, caller: "", bearer: Option.none(), body: message, timeoutSeconds }))

/** An online workspace of `runtime` listening at `url`. */
const listening = (url: string, runtime = "claude-code") =>
  Effect.gen(function* () {
    const id = yield* (runtime === "external" ? Rows.createExternal() : Rows.create())
    yield* Rows.setStatus(id, "online")
    yield* (yield* WorkspaceStore).setUrl(id, url)
    return id
  })

const reset = (answer: typeof script.answer, running = true) =>
  Effect.sync(() => Object.assign(script, { answer, running, calls: [], restarts: [] }))

const receivedRows = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(ActivityFilter.parse({}), (filter) => Effect.flatMap(ActivityRepository, (a) => a.list(id, filter)))

for (const db of databases) {
  describe(db.name, () => {
    layer(A2aProxy.Default.pipe(Layer.provideMerge(common), Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })("A2aProxy", (it) => {
      it.effect("a refused connection to a container whose workload is gone: offline (a2a_proxy), restart asked, 503 restarting", () =>
        Effect.gen(function* () {
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "refused", message: "connect ECONNREFUSED" })), false)
          const id = yield* listening("https://agent.test/a2a")
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentUnreachable", restarting: true })
          expect(Option.map(yield* (yield* WorkspaceStore).get(id), (w) => w.status)).toEqual(Option.some("offline"))
          const [event] = yield* (yield* EventLog).latest(1, id)
          expect(event).toMatchObject({ type: "WORKSPACE_OFFLINE", payload: { source: "a2a_proxy" } })
          expect(script.restarts).toEqual([id])
        }))

      it.effect("a refused connection to a running container, or to an external agent: 502, nothing changed", () =>
        Effect.gen(function* () {
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "refused", message: "connect ECONNREFUSED" })), true)
          const box = yield* listening("https://agent.test/a2a")
          expect(yield* Effect.flip(canvasCall(box))).toMatchObject({ _tag: "AgentUnreachable", restarting: false })
          yield* reset(script.answer, false)
          const external = yield* listening("https://agent.test/a2a", "external")
          expect(yield* Effect.flip(canvasCall(external))).toMatchObject({ _tag: "AgentUnreachable", restarting: false })
          for (const id of [box, external]) {
            expect(Option.map(yield* (yield* WorkspaceStore).get(id), (w) => w.status)).toEqual(Option.some("online"))
          }
          expect(script.restarts).toEqual([])
        }))

      it.effect("a timeout is busy and recorded as a timeout; a dropped connection is busy too", () =>
        Effect.gen(function* () {
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "timeout", message: "no answer within 1000 ms" })))
          const id = yield* listening("https://agent.test/a2a")
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentBusy", retryAfterSeconds: 30 })
          const [row] = yield* receivedRows(id)
          expect(row).toMatchObject({ activityType: "a2a_receive", status: "timeout", errorDetail: "no answer within 1000 ms" })
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "dropped", message: "socket hang up" })))
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentBusy" })
        }))

      it.effect("an answer whose body was lost: delivery confirmed for 2xx (recorded ok), not for 5xx", () =>
        Effect.gen(function* () {
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "unreadable", message: "cut short", status: 200 })))
          const id = yield* listening("https://agent.test/a2a")
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentResponseUnreadable", deliveryConfirmed: true })
          expect((yield* receivedRows(id))[0]).toMatchObject({ status: "ok" })
          yield* reset(Effect.fail(new AgentCallFailed({ kind: "unreadable", message: "cut short", status: 502 })))
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentResponseUnreadable", deliveryConfirmed: false })
        }))

      it.effect("URLs: Berth's own container URL is trusted, the same URL of an external agent is not; DNS is checked", () =>
        Effect.gen(function* () {
          yield* reset(Effect.succeed({ status: 200, statusText: "OK", body: "{\"ok\":true}" }))
          const box = yield* listening("http://127.0.0.1:41234")
          expect(yield* canvasCall(box)).toEqual({ status: 200, body: "{\"ok\":true}" })
          expect(script.calls.map((c) => c.url)).toEqual(["http://127.0.0.1:41234"])
          const external = yield* listening("http://127.0.0.1:41234", "external")
          expect(yield* Effect.flip(canvasCall(external))).toMatchObject({ _tag: "AgentUrlRefused" })
          const rebound = yield* listening("https://metadata.test/a2a", "external")
          expect(yield* Effect.flip(canvasCall(rebound))).toMatchObject({ _tag: "AgentUrlRefused" })
          expect(script.calls).toHaveLength(1)
        }))

      it.effect("the forward's bound: the canvas 5 min, X-Timeout when positive, never over 30 min; 3xx is refused", () =>
        Effect.gen(function* () {
          yield* reset(Effect.succeed({ status: 302, statusText: "Found", body: "" }))
          const id = yield* listening("https://agent.test/a2a")
          expect(yield* Effect.flip(canvasCall(id))).toMatchObject({ _tag: "AgentAnsweredError", status: 302, message: "Found" })
          yield* Effect.flip(canvasCall(id, Option.some(2)))
          yield* Effect.flip(canvasCall(id, Option.some(999_999)))
          yield* Effect.flip(canvasCall(id, Option.some(0)))
          expect(script.calls.map((c) => c.timeoutMillis)).toEqual([
            Duration.toMillis(Duration.minutes(5)), 2000, Duration.toMillis(Duration.minutes(30)), Duration.toMillis(Duration.minutes(5))
          ])
          expect(script.calls.every((c) => c.maxResponseBytes === 10 << 20)).toBe(true)
        }))
    })
  })
}
