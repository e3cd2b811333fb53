/**
 * SSE of one workspace's events (§5.12): a `: ping` comment first (and every 15 s, so proxies keep the connection),
 * then `id: <seq>` (recorded events only) and `data: {"type","timestamp","data"}` per event. `Last-Event-ID` replays
 * the recorded events after that sequence number before going live (core's `EventHistory.follow`, which decides that
 * nothing falls between replay and live); framing and keep-alive are this driver's.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import type { Events } from "@berth/core"
import { EventHistory } from "@berth/core"
import { Effect, Layer, Option, Stream } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"

const encoder = new TextEncoder()

/** One SSE frame of an event. */
export const frame = (event: Events.WorkspaceEvent): string =>
  (event.seq === undefined ? "" : `id: ${event.seq}\n`) +
  `data: ${JSON.stringify({ type: event.type, timestamp: event.createdAt.getTime(), data: event.payload })}\n\n`

export const ping = ": ping\n\n"

/** `Last-Event-ID` as a sequence number; anything else means "live only". */
export const lastEventId = (header: string | undefined): Option.Option<number> =>
  header !== undefined && /^\d+$/.test(header.trim()) ? Option.some(Number(header.trim())) : Option.none()

export const EventStreamLive = HttpApiBuilder.group(Api, "eventStream", (handlers) =>
  Effect.gen(function* () {
    const history = yield* EventHistory
    return handlers.handle("stream", ({ path, request }) =>
      Effect.gen(function* () {
        yield* mapCoreErrors(history.requireFollowable(path.id))
        const after = lastEventId(request.headers["last-event-id"])
        // The first ping is sent once the subscription is live (`follow` has run): a client that saw it misses nothing later.
        const body = Stream.unwrapScoped(Effect.map(history.follow(path.id, after), (events) =>
          Stream.concat(
            Stream.make(ping),
            Stream.merge(
              Stream.map(events, frame),
              Stream.map(Stream.tick("15 seconds").pipe(Stream.drop(1)), () => ping),
              { haltStrategy: "left" }
            )
          ))).pipe(Stream.map((text) => encoder.encode(text)))
        return HttpServerResponse.stream(body, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
        })
      }))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
