/**
 * SSE of one workspace's events (§5.12): a `: ping` comment first (and every 15 s, so proxies keep the connection),
 * then `id: <seq>` (recorded events only) and `data: {"type","timestamp","data"}` per event. `Last-Event-ID` replays
 * the recorded events after that sequence number before going live; the subscription starts BEFORE the replay query,
 * and live events already replayed are skipped, so nothing falls in between.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import type { Events } from "@berth/core"
import { EventBus, EventLog, WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option, Stream } from "effect"
import { Api } from "../Api.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { orUnavailable, workspaceNotFound } from "../wire/Errors.js"

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
    const workspaces = yield* WorkspaceRepository
    const log = yield* EventLog
    const bus = yield* EventBus
    return handlers.handle("stream", ({ path, request }) =>
      Effect.gen(function* () {
        const row = yield* orUnavailable(workspaces.get(path.id))
        if (Option.isNone(row) || row.value.status === "removed") return yield* Effect.fail(workspaceNotFound)
        const after = lastEventId(request.headers["last-event-id"])
        // The first ping is sent once the subscription is live: a client that saw it misses nothing later.
        const body = Stream.unwrapScoped(Effect.gen(function* () {
          const live = yield* bus.subscribe
          const replayed = Option.isSome(after)
            ? yield* log.after(path.id, after.value).pipe(Effect.orElseSucceed(() => []))
            : []
          const lastReplayed = replayed.length === 0 ? Option.getOrElse(after, () => 0) : replayed[replayed.length - 1]!.seq
          const events = Stream.concat(
            Stream.fromIterable(replayed),
            live.pipe(Stream.filter((e) => e.workspaceId === path.id && (e.seq === undefined || e.seq > lastReplayed)))
          )
          return Stream.concat(
            Stream.make(ping),
            Stream.merge(
              Stream.map(events, frame),
              Stream.map(Stream.tick("15 seconds").pipe(Stream.drop(1)), () => ping),
              { haltStrategy: "left" }
            )
          )
        })).pipe(Stream.map((text) => encoder.encode(text)))
        return HttpServerResponse.stream(body, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
        })
      }))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
