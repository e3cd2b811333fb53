import { Activities, EventBus } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Stream } from "effect"
import { newWorkspace, tagOf } from "./Fixtures.js"
import { databases } from "./Harness.js"

for (const db of databases) {
  describe(`Activities use cases (§5.10) on ${db.name}`, () => {
    layer(Activities.Default.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })((it) => {
      it.scoped("a report is stored under its workspace and announced as ACTIVITY_LOGGED", () =>
        Effect.gen(function* () {
          const activities = yield* Activities
          const id = yield* newWorkspace("reporter")
          const live = yield* Effect.flatMap(EventBus, (bus) => bus.subscribe)
          const announced = yield* live.pipe(
            Stream.filter((e) => e.type === "ACTIVITY_LOGGED" && e.workspaceId === id),
            Stream.take(1),
            Stream.runCollect,
            Effect.fork
          )
          const stored = yield* activities.report(id, {
            activityType: "agent_log", summary: "hello", sourceId: id.toUpperCase(), toolTrace: [{ tool: "x" }]
          })
          expect(stored).toMatchObject({ sourceId: id, status: "ok", summary: "hello", targetId: null })
          const [event] = Chunk.toReadonlyArray(yield* Fiber.join(announced))
          expect(event?.payload).toMatchObject({ activity_type: "agent_log", summary: "hello", status: "ok", tool_trace: [{ tool: "x" }] })
          expect((yield* activities.list(id, {})).map((a) => a.id)).toEqual([stored.id])
        }))

      it.effect("bad reports are refused in the contract's order, with its messages", () =>
        Effect.gen(function* () {
          const activities = yield* Activities
          const id = yield* newWorkspace("strict")
          const other = yield* newWorkspace("other")
          const refusal = (input: Parameters<typeof activities.report>[1]) =>
            activities.report(id, input).pipe(Effect.flip, Effect.map((e) => e._tag === "InvalidInput" ? e.message : e._tag))
          expect(yield* refusal({ activityType: "nope" })).toMatch(/^invalid activity_type, must be one of: a2a_send/)
          expect(yield* refusal({ activityType: "agent_log", sourceId: other, targetId: "x" })).toBe("ActivitySourceMismatch")
          expect(yield* refusal({ activityType: "agent_log", targetId: "x" })).toBe("target_id must be a UUID")
          expect(yield* refusal({ activityType: "agent_log", status: "meh" })).toBe("status must be one of: ok, error, timeout")
          expect(yield* activities.list(id, {})).toEqual([])
        }))

      it.effect("the list filters and pages; a bad filter, cursor or since_id fails as the contract says", () =>
        Effect.gen(function* () {
          const activities = yield* Activities
          const id = yield* newWorkspace("pages")
          for (const summary of ["one", "two", "three"]) yield* activities.report(id, { activityType: "task_update", summary })
          yield* activities.report(id, { activityType: "error", status: "error" })
          expect((yield* activities.list(id, { type: "task_update" })).length).toBe(3)
          const first = yield* activities.page(id, { limit: "2" }, null)
          expect(first.items.length).toBe(2)
          expect(first.nextCursor).not.toBeNull()
          const second = yield* activities.page(id, { limit: "2" }, first.nextCursor)
          expect(second.items.length).toBe(2)
          expect(yield* tagOf(activities.list(id, { source: "robot" }))).toBe("InvalidInput")
          expect(yield* tagOf(activities.page(id, {}, "garbage"))).toBe("InvalidInput")
          expect(yield* tagOf(activities.list(id, { since_id: "00000000-0000-4000-8000-000000000003" }))).toBe("ActivityCursorNotFound")
        }))
    })
  })
}
