/** The in-process `EventBus` (embedded database: one process, nobody else to tell). Publication never fails. */
import type { Events } from "@berth/core"
import { EventBus } from "@berth/core"
import type { Scope } from "effect"
import { Effect, Layer, PubSub, Stream } from "effect"

export const make: Effect.Effect<EventBus["Type"], never, Scope.Scope> = Effect.gen(function* () {
  const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<Events.WorkspaceEvent>(), PubSub.shutdown)
  return EventBus.of({
    publish: (event) => Effect.asVoid(PubSub.publish(pubsub, event)),
    subscribe: Stream.fromPubSub(pubsub, { scoped: true })
  })
})

export const layer: Layer.Layer<EventBus> = Layer.scoped(EventBus, make)
