import type { WorkspaceId } from "@berth/core"
import { WorkspaceLanes, WorkspaceRestart } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Option, Ref } from "effect"

const latest: WorkspaceLanes.Merge<string> = (queued, next) => `${queued}+${next}`

describe("WorkspaceLanes state machine", () => {
  it("an idle lane opens; requests on a running lane coalesce into one queued job", () => {
    const [opened, s1] = WorkspaceLanes.enqueue(new Map(), "w", "a", 1, latest)
    expect(opened).toEqual(Option.some(1))
    const [second, s2] = WorkspaceLanes.enqueue(s1, "w", "b", 2, latest)
    const [third, s3] = WorkspaceLanes.enqueue(s2, "w", "c", 3, latest)
    expect([second, third]).toEqual([Option.none(), Option.none()])
    expect(s3.get("w")).toEqual({ token: 1, queued: Option.some("b+c") })
    // Another workspace has a lane of its own.
    expect(WorkspaceLanes.enqueue(s3, "v", "x", 4, latest)[0]).toEqual(Option.some(4))
  })

  it("advance hands over the queued job once, then closes the lane", () => {
    const [, s1] = WorkspaceLanes.enqueue(new Map(), "w", "a", 1, latest)
    const [, s2] = WorkspaceLanes.enqueue(s1, "w", "b", 2, latest)
    const [next, s3] = WorkspaceLanes.advance(s2, "w", 1)
    expect(next).toEqual(Option.some("b"))
    const [none, s4] = WorkspaceLanes.advance(s3, "w", 1)
    expect(none).toEqual(Option.none())
    expect(s4.has("w")).toBe(false)
  })

  it("a stale run (cancelled, lane reopened) neither takes the new lane's job nor closes it", () => {
    const [, s1] = WorkspaceLanes.enqueue(new Map(), "w", "a", 1, latest)
    const [, s2] = WorkspaceLanes.enqueue(WorkspaceLanes.close(s1, "w"), "w", "b", 2, latest)
    const [, s3] = WorkspaceLanes.enqueue(s2, "w", "c", 3, latest)
    const [stale, s4] = WorkspaceLanes.advance(s3, "w", 1)
    expect(stale).toEqual(Option.none())
    expect(s4).toBe(s3)
  })
})

describe("restart job coalescing", () => {
  const manual = (resetSession: boolean) => ({ _tag: "Restart", config: { _tag: "ExistingVolume" }, resetSession }) as const
  const auto = { _tag: "AutoRestart" } as const
  const template = { _tag: "TemplateDir", templateId: "t", dir: "/t" } as const

  it("an auto-restart adds nothing to what is queued; a manual restart replaces it, keeping an asked-for reset", () => {
    expect(WorkspaceRestart.mergeJobs(manual(true), auto)).toEqual(manual(true))
    expect(WorkspaceRestart.mergeJobs(auto, auto)).toEqual(auto)
    expect(WorkspaceRestart.mergeJobs(auto, manual(false))).toEqual(manual(false))
    expect(WorkspaceRestart.mergeJobs(manual(true), { ...manual(false), config: template })).toEqual({ ...manual(true), config: template })
    expect(WorkspaceRestart.mergeJobs(manual(false), manual(false))).toEqual(manual(false))
  })
})

describe("WorkspaceLanes runner", () => {
  it.scoped("turns of one workspace never overlap, and requests during a turn run as one follow-up", () =>
    Effect.gen(function* () {
      const running = yield* Ref.make(0)
      const overlaps = yield* Ref.make(0)
      const turns = yield* Ref.make<ReadonlyArray<string>>([])
      const gate = yield* Deferred.make<void>()
      const turn = (_id: WorkspaceId.WorkspaceId, job: string) =>
        Effect.gen(function* () {
          if ((yield* Ref.updateAndGet(running, (n) => n + 1)) > 1) yield* Ref.update(overlaps, (n) => n + 1)
          yield* Ref.update(turns, (t) => [...t, job])
          if (job === "first") yield* Deferred.await(gate)
          yield* Ref.update(running, (n) => n - 1)
        })
      const lanes = yield* WorkspaceLanes.make(turn, latest)
      const id = "00000000-0000-4000-8000-000000000001" as WorkspaceId.WorkspaceId
      yield* lanes.request(id, "first")
      yield* Effect.yieldNow()
      yield* lanes.request(id, "b")
      yield* lanes.request(id, "c")
      yield* Deferred.succeed(gate, undefined)
      yield* lanes.awaitIdle
      expect(yield* Ref.get(turns)).toEqual(["first", "b+c"])
      expect(yield* Ref.get(overlaps)).toBe(0)
      // A later request opens the lane again.
      yield* lanes.request(id, "later")
      yield* lanes.awaitIdle
      expect(yield* Ref.get(turns)).toEqual(["first", "b+c", "later"])
    }))

  it.scoped("a turn that dies is logged and the lane goes on with its queued job", () =>
    Effect.gen(function* () {
      const turns = yield* Ref.make<ReadonlyArray<string>>([])
      const gate = yield* Deferred.make<void>()
      const lanes = yield* WorkspaceLanes.make((_id, job: string) =>
        job === "boom"
          ? Effect.zipRight(Deferred.await(gate), Effect.die("boom"))
          : Ref.update(turns, (t) => [...t, job]), latest)
      const id = "00000000-0000-4000-8000-000000000002" as WorkspaceId.WorkspaceId
      yield* lanes.request(id, "boom")
      yield* lanes.request(id, "after")
      yield* Deferred.succeed(gate, undefined)
      yield* lanes.awaitIdle
      expect(yield* Ref.get(turns)).toEqual(["after"])
    }))
})
