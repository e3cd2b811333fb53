/**
 * Issue 22, the event bus while its LISTEN connection is slow or gone (a TcpProxy in front of Postgres serves only that
 * connection): a subscriber that connected
 * while LISTEN was being re-established gets every event recorded meanwhile, even when this replica's own
 * publications moved its cursor far past them. The poll is set to an hour, so only the LISTEN session delivers.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Events } from "@berth/core"
import { EventBus, EventLog, WorkspaceStore } from "@berth/core"
import { Context, Deferred, Effect, Layer, Redacted, Stream } from "effect"
import { TcpProxy, Testing } from "../../src/testing/index.js"
import { postgresPersistence } from "../reliability/PostgresPersistence.js"
import { newWorkspace } from "../sql/RepositorySuite.js"

const url = await Testing.freshPostgresDatabase("berth_listen_delay")

const behind = (proxy: TcpProxy.TcpProxy) =>
  postgresPersistence(url ?? "", { pollInterval: "1 hour", listenUrl: Redacted.make(proxy.via(url ?? "")) })

describe.skipIf(url === undefined)("the event bus behind a slow LISTEN connection", () => {
  it.live("a subscriber connected while LISTEN is re-established gets what others recorded meanwhile", () =>
    Effect.scoped(Effect.gen(function* () {
      const proxy = yield* TcpProxy.make(url ?? "")
      const a = yield* Layer.build(postgresPersistence(url ?? "", { pollInterval: "1 hour" }))
      const b = yield* Layer.build(behind(proxy))
      const { workspace } = yield* Context.get(a, WorkspaceStore).create(newWorkspace({ name: "relisten" }))

      // B loses its LISTEN and its next one is held: B's reconnect is waiting.
      yield* proxy.hold
      yield* proxy.cut
      yield* proxy.waiting
      const got = yield* Deferred.make<Events.WorkspaceEvent>()
      const stream = yield* Context.get(b, EventBus).subscribe
      yield* Effect.forkScoped(Stream.runForEach(
        Stream.filter(stream, (e) => e.workspaceId === workspace.id && e.payload["from"] === "a"),
        (e) => Deferred.succeed(got, e)
      ))
      const missed = yield* Context.get(a, EventLog).record(workspace.id, { type: "AGENT_CARD_UPDATED", payload: { from: "a" } })
      yield* Context.get(a, EventBus).publish(missed)
      // B's own events, published meanwhile, move its cursor well past `missed` (more than the poll's lookback).
      for (let n = 0; n < 150; n++) {
        const own = yield* Context.get(b, EventLog).record(workspace.id, { type: "AGENT_CARD_UPDATED", payload: { from: "b", n } })
        yield* Context.get(b, EventBus).publish(own)
      }
      yield* proxy.release
      const received = yield* Deferred.await(got).pipe(
        Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("the recorded event never reached B") })
      )
      expect(received.seq).toBe(missed.seq)
    })), { timeout: 60_000 })
})
