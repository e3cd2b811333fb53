/** Events crossing replicas, as an SSE subscriber of one replica sees what another one raised (§5.12, §6). */
import { expect } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { open, until } from "../support/EventStreamSuite.js"
import type { Agent } from "./Agents.js"
import { beat } from "./Agents.js"
import type { Replica } from "./Replicas.js"
import { on } from "./Replicas.js"

export interface Frame {
  readonly type: string
  readonly data: Record<string, unknown>
}

/** SSE `data:` lines of a stream's text. */
export const frames = (text: string): ReadonlyArray<Frame> =>
  text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as Frame)

/** What one heartbeat raises: a recorded status change and the broadcast-only task and heartbeat events. */
export const raised = ["WORKSPACE_DEGRADED", "TASK_UPDATED", "WORKSPACE_HEARTBEAT"] as const

/**
 * Opens the SSE stream of `agent` on `subscriber`, then beats through `raiser` with `task` and a high error rate (an
 * `online` agent becomes `degraded`); the frames seen once all three events arrived (bounded by the reader).
 */
export const crossing = (subscriber: Replica, raiser: Replica, agent: Agent, task: string) =>
  Effect.gen(function* () {
    const { response, text } = yield* on(subscriber, open(agent.id, { authorization: `Bearer ${agent.token}` }))
    expect(response.status).toBe(200)
    const reader = yield* Effect.fork(until(text, (s) => raised.every((t) => s.includes(t))))
    expect(yield* on(raiser, beat(agent, { current_task: task, active_tasks: 1, error_rate: 0.9, sample_error: "boom" }))).toBe(200)
    return frames(yield* Fiber.join(reader))
  }).pipe(Effect.scoped)
