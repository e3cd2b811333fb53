import { expect, it } from "@effect/vitest"
import { EventBus } from "@berth/core"
import { Chunk, Effect, Fiber, Stream } from "effect"
import * as EventBusMemory from "../../src/events/EventBusMemory.js"

it.scoped("every subscriber receives events published after it subscribed", () =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    yield* bus.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId: null, payload: { n: 0 }, createdAt: new Date(0) })
    const first = yield* bus.subscribe
    const second = yield* bus.subscribe
    const take = (s: typeof first) => Effect.fork(Stream.runCollect(Stream.take(s, 2)))
    const [f1, f2] = [yield* take(first), yield* take(second)]
    for (const n of [1, 2]) {
      yield* bus.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId: null, payload: { n }, createdAt: new Date(0) })
    }
    for (const fiber of [f1, f2]) {
      expect(Chunk.toArray(yield* Fiber.join(fiber)).map((e) => e.payload["n"])).toEqual([1, 2])
    }
  }).pipe(Effect.provide(EventBusMemory.layer)))
