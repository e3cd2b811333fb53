import { EventBus, EventHistory, StatusWrites, Transitions } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Layer, Option, Stream } from "effect"
import { newWorkspace, removeWorkspace, tagOf } from "./Fixtures.js"
import { databases } from "./Harness.js"

/** A recorded state change of `id`, published after commit as the lifecycle does (unless `publish` is false). */
const record = (id: WorkspaceId.WorkspaceId, to: "failed" | "online", publish = true) =>
  Effect.gen(function* () {
    const recorded = yield* Effect.flatMap(StatusWrites, (writes) => to === "failed"
      ? writes.transition({ id, row: Transitions.provisionFailed, input: { error: "test" } })
      : writes.transition({ id, row: Transitions.registered, input: { url: null, agentCard: {}, deliveryMode: "push" } }))
    if (publish && Option.isSome(recorded)) yield* Effect.flatMap(EventBus, (bus) => bus.publish(recorded.value))
    return recorded
  })

for (const db of databases) {
  describe(`EventHistory use cases (§5.12) on ${db.name}`, () => {
    layer(EventHistory.Default.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })((it) => {
      it.effect("latest lists recorded events newest first, of all workspaces or of one", () =>
        Effect.gen(function* () {
          const history = yield* EventHistory
          const a = yield* newWorkspace("a")
          const b = yield* newWorkspace("b")
          const ofA = yield* history.latest(a)
          expect(ofA.map((e) => [e.type, e.workspaceId])).toEqual([["WORKSPACE_PROVISIONING", a]])
          const all = (yield* history.latest()).map((e) => e.workspaceId)
          expect(all.indexOf(b)).toBeLessThan(all.indexOf(a))
        }))

      it.scoped("follow replays what was recorded after the given seq, then carries live events, none twice", () =>
        Effect.gen(function* () {
          const history = yield* EventHistory
          const id = yield* newWorkspace("followed")
          const [created] = yield* history.latest(id)
          const failed = yield* record(id, "failed", false)
          const feed = yield* history.follow(id, Option.some(created!.seq))
          // Published only now, after the replay read it: it must not arrive a second time.
          if (Option.isSome(failed)) yield* Effect.flatMap(EventBus, (bus) => bus.publish(failed.value))
          yield* record(id, "online")
          const events = yield* feed.pipe(Stream.take(2), Stream.runCollect)
          expect(Chunk.toReadonlyArray(events).map((e) => e.type)).toEqual(["WORKSPACE_PROVISION_FAILED", "WORKSPACE_ONLINE"])
        }))

      it.effect("only a known, non-removed workspace can be followed", () =>
        Effect.gen(function* () {
          const history = yield* EventHistory
          const id = yield* newWorkspace("unfollowed")
          expect(yield* tagOf(history.requireFollowable(id))).toBe("ok")
          yield* removeWorkspace(id)
          expect(yield* tagOf(history.requireFollowable(id))).toBe("WorkspaceNotFound")
        }))
    })
  })
}
