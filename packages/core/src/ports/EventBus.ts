import type { Effect, Scope, Stream } from "effect"
import { Context } from "effect"
import type { WorkspaceEvent } from "../domain/Events.js"

/**
 * Delivers events to every subscriber of every Berth replica (§6). Recording an event in `structure_events` is the
 * repository's job, inside the transaction of its state change; the bus only carries it after commit.
 * Publication never fails the caller: delivery problems are the adapter's to log.
 */
export class EventBus extends Context.Tag("@berth/core/EventBus")<EventBus, {
  readonly publish: (event: WorkspaceEvent) => Effect.Effect<void>
  /** A live stream of events published from now on; the subscription ends with the scope. */
  readonly subscribe: Effect.Effect<Stream.Stream<WorkspaceEvent>, never, Scope.Scope>
}>() {}
