/**
 * Recorded and live events (§5.12, §6): the latest recorded ones, and a workspace's feed for the SSE stream, which
 * replays what was recorded after a `Last-Event-ID` and then goes live. How a feed is framed and kept alive is the
 * driver's; what it carries, and that nothing falls between replay and live, is decided here.
 */
import { Effect, Option, Stream } from "effect"
import type { WorkspaceEvent } from "../domain/Events.js"
import { EventBus } from "../ports/EventBus.js"
import { EventLog } from "../ports/EventLog.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { requireNotRemoved } from "../workspaces/LiveWorkspace.js"

/** How many events `latest` returns (§5.12). */
export const LATEST = 100

export class EventHistory extends Effect.Service<EventHistory>()("@berth/core/EventHistory", {
  effect: Effect.gen(function* () {
    const log = yield* EventLog
    const bus = yield* EventBus
    const store = yield* WorkspaceStore

    /** The latest recorded events, newest first, of every workspace or of one. */
    const latest = Effect.fn("EventHistory.latest")(function* (workspaceId?: WorkspaceId) {
      return yield* workspaceId === undefined ? log.latest(LATEST) : log.latest(LATEST, workspaceId)
    })

    /** Whether a feed may be opened: unknown or `removed` fails `WorkspaceNotFound`. */
    const requireFollowable = Effect.fn("EventHistory.requireFollowable")(function* (id: WorkspaceId) {
      yield* requireNotRemoved(store, id)
    })

    /**
     * A workspace's events: those recorded with `seq > after` (when given), then live ones not already replayed.
     * The subscription is live once this effect has run (BEFORE the replay query), so nothing falls in between; it
     * ends with the scope. A failing replay query replays nothing.
     */
    const follow = Effect.fn("EventHistory.follow")(function* (id: WorkspaceId, after: Option.Option<number>) {
      const live = yield* bus.subscribe
      const replayed = Option.isSome(after) ? yield* log.after(id, after.value).pipe(Effect.orElseSucceed(() => [])) : []
      const lastReplayed = replayed.length === 0 ? Option.getOrElse(after, () => 0) : replayed[replayed.length - 1]!.seq
      return Stream.concat(
        Stream.fromIterable<WorkspaceEvent>(replayed),
        live.pipe(Stream.filter((e) => e.workspaceId === id && (e.seq === undefined || e.seq > lastReplayed)))
      )
    })

    /** Every event published from now on (the `/ws` feed filters it per caller); ends with the scope. */
    const live = Effect.fn("EventHistory.live")(function* () {
      return yield* bus.subscribe
    })

    return { latest, requireFollowable, follow, live } as const
  })
}) {}
