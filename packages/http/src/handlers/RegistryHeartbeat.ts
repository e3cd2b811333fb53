/**
 * `POST /registry/heartbeat` (§5.11), the hot path: one batched statement judges the bearer (the token gate, §4.4),
 * stores the liveness sample and returns the previous status, task and inbound secret; only a status change or a
 * missing secret costs another round trip. The gate allows every unknown or removed workspace (neither can hold a
 * live token), so answering 401 after the statement keeps the contract's order: 400s, gate, 404, 410.
 */
import type { HttpServerRequest } from "@effect/platform"
import type { WorkspaceStatus } from "@berth/core"
import { EventBus, Transitions, WorkspaceRepository } from "@berth/core"
import { Clock, Effect, Metric, MetricBoundaries, Option } from "effect"
import type { HeartbeatPayload } from "../groups/Registry.js"
import { bearer } from "../guards/Credentials.js"
import { rejection } from "../guards/RegistryGate.js"
import { Internal, invalidRequestBody, workspaceNotFound, workspaceRemoved } from "../wire/Errors.js"
import { readOrHeal } from "./InboundSecret.js"
import { bodyId } from "./RegistryRegister.js"

const failedToUpdate = new Internal({ error: "failed to update" })

/** `berth_heartbeat_duration_seconds` on /metrics. */
export const heartbeatDuration = Metric.histogram(
  "berth_heartbeat_duration_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 }),
  "Duration of handling one registry heartbeat."
)

const MAX_SPEND = 1e12

/** A status change a beat asks for (§2.3): its row of the transition table, and what that row records. */
export interface Change {
  readonly row: Transitions.RowTransition<Transitions.BeatSample>
  readonly to: WorkspaceStatus.WorkspaceStatus
  readonly from: WorkspaceStatus.WorkspaceStatus
  readonly type: Transitions.RowTransition["event"]
  readonly payload: Readonly<Record<string, unknown>>
}

const change = (
  row: Transitions.RowTransition<Transitions.BeatSample>,
  from: WorkspaceStatus.WorkspaceStatus,
  beat: Transitions.BeatSample
): Change => ({ row, from, to: row.to, type: row.event, payload: row.payload(beat) })

/** §5.11 rule 3, as a pure decision on the status before the beat. */
export const changeFor = (
  status: WorkspaceStatus.WorkspaceStatus,
  beat: { readonly errorRate: number; readonly sampleError: string | null; readonly wedged: boolean; readonly statusMgmt: boolean }
): Change | undefined => {
  if (beat.wedged && status === "online") return change(Transitions.heartbeatWedged, status, beat)
  if (!beat.statusMgmt) {
    if (status === "online" && beat.errorRate >= 0.5) return change(Transitions.heartbeatErrorRate, status, beat)
    if (status === "degraded" && beat.errorRate < 0.1 && !beat.wedged) return change(Transitions.heartbeatRecovered, status, beat)
  }
  if (status === "offline") return change(Transitions.heartbeatBack, status, beat)
  if (status === "provisioning") return change(Transitions.heartbeatFromProvisioning, status, beat)
  if (status === "awaiting_agent") return change(Transitions.heartbeatFromAwaiting, status, beat)
  return undefined
}

const nonNegative = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? 0 : n)

export const heartbeat = (payload: typeof HeartbeatPayload.Type, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const started = yield* Clock.currentTimeMillis
    const workspaces = yield* WorkspaceRepository
    const bus = yield* EventBus
    if (payload.workspace_id === undefined || payload.workspace_id === "") return yield* Effect.fail(invalidRequestBody)
    const id = yield* bodyId(payload.workspace_id)
    const token = bearer(request.headers)
    const errorRate = nonNegative(payload.error_rate)
    const sampleError = payload.sample_error ?? null
    const currentTask = payload.current_task ?? null
    const activeTasks = Math.trunc(nonNegative(payload.active_tasks))
    const uptimeSeconds = Math.trunc(nonNegative(payload.uptime_seconds))
    const found = yield* workspaces.heartbeat({
      id,
      errorRate,
      sampleError,
      activeTasks,
      uptimeSeconds,
      currentTask,
      monthlySpend: Math.min(Math.max(nonNegative(payload.monthly_spend), 0), MAX_SPEND),
      bearer: Option.getOrUndefined(token)
    }).pipe(Effect.orElseFail(() => failedToUpdate))
    if (found._tag === "None") return yield* Effect.fail(workspaceNotFound)
    const beat = found.value
    if (beat.gate === "rejected") return yield* Effect.fail(rejection(token))
    if (beat.status === "removed" || !beat.recorded) return yield* Effect.fail(workspaceRemoved(id, beat.updatedAt))

    const change = changeFor(beat.status, {
      errorRate,
      sampleError,
      wedged: payload.runtime_state === "wedged",
      statusMgmt: payload.runtime_metadata?.capabilities?.["status_mgmt"] === true
    })
    if (change !== undefined) {
      // Guarded on the status read by this beat (each heartbeat row leaves one status): a concurrent write wins and
      // this one records nothing.
      const recorded = yield* workspaces.transition({ id, row: change.row, input: { errorRate, sampleError } }).pipe(Effect.catchAll((e) => Effect.as(Effect.logWarning("heartbeat: status transition failed", e), Option.none())))
      if (recorded._tag === "Some") {
        yield* bus.publish(recorded.value)
        if (change.from === "awaiting_agent") {
          yield* Effect.logInfo(`Heartbeat: transitioned ${id} from awaiting_agent to online (heartbeat received)`)
        }
      }
    }
    const now = new Date(yield* Clock.currentTimeMillis)
    if (currentTask !== beat.previousTask) {
      yield* bus.publish({ type: "TASK_UPDATED", workspaceId: id, payload: { current_task: currentTask, active_tasks: activeTasks }, createdAt: now })
    }
    yield* bus.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId: id, payload: { active_tasks: activeTasks, uptime_seconds: uptimeSeconds }, createdAt: now })
    const secret = yield* readOrHeal("heartbeat", id, beat.platformInboundSecret)
    const finished = yield* Clock.currentTimeMillis
    yield* Metric.update(heartbeatDuration, (finished - started) / 1000)
    return { status: "ok" as const, ...(secret._tag === "Some" ? { platform_inbound_secret: secret.value } : {}) }
  }).pipe(Effect.withSpan("Registry.heartbeat"))
