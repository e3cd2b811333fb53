/**
 * The registry use cases (§5.11, §5.12): agents register, beat and update their card; the bootstrap watcher reports
 * a failed start. Drivers decode the request (the 400s come first) and call one method; each method runs the
 * contract's steps in order: token gate, tombstone, rules, the status write, events after commit.
 */
import { Clock, Effect, Metric, MetricBoundaries, Option } from "effect"
import * as AgentUrl from "../domain/AgentUrl.js"
import * as Transitions from "../domain/Transitions.js"
import { InvalidInput, WorkspaceNotFound, WorkspaceRemoved } from "../domain/Errors.js"
import type { WorkspaceEvent } from "../domain/Events.js"
import { InboundSecretCache } from "../lifecycle/InboundSecretCache.js"
import { EventBus } from "../ports/EventBus.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import type { DeliveryModeValue } from "../ports/WorkspaceRecords.js"
import { AgentRegistrations } from "../ports/AgentRegistrations.js"
import { InboundSecrets } from "../ports/InboundSecrets.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { lastBytes, sampleError } from "./BootstrapFailure.js"
import * as HeartbeatRules from "./HeartbeatRules.js"
import { readOrHeal } from "./InboundSecretHeal.js"
import { DeploymentMode } from "../domain/DeploymentMode.js"
import { TokenGate } from "./TokenGate.js"

/** A decoded `POST /registry/register`. */
export interface RegisterRequest {
  readonly id: WorkspaceId
  /** The agent card, a JSON object. */
  readonly agentCard: unknown
  readonly url: string | null
  /** The mode the agent asked for; none → the stored one, else push. */
  readonly deliveryMode: Option.Option<DeliveryModeValue>
  readonly bearer: Option.Option<string>
}

export interface Registered {
  readonly deliveryMode: DeliveryModeValue
  /** Only on the bootstrap register of a workspace without a live token; never re-issued. */
  readonly authToken: Option.Option<string>
  readonly inboundSecret: Option.Option<string>
}

/** A decoded `POST /registry/heartbeat`; numbers as the agent sent them (core cleans them). */
export interface Beat {
  readonly id: WorkspaceId
  readonly bearer: Option.Option<string>
  readonly errorRate: number | null | undefined
  readonly sampleError: string | null | undefined
  readonly activeTasks: number | null | undefined
  readonly uptimeSeconds: number | null | undefined
  readonly currentTask: string | null | undefined
  readonly monthlySpend: number | null | undefined
  readonly runtimeState: string | null | undefined
  readonly capabilities: Readonly<Record<string, boolean>> | null | undefined
}

/** The bootstrap watcher's report (`POST /admin/workspaces/:id/bootstrap-failed`). */
export interface BootstrapFailure {
  readonly error: string
  readonly logTail: string
}

/** `berth_heartbeat_duration_seconds` on /metrics. */
export const heartbeatDuration = Metric.histogram(
  "berth_heartbeat_duration_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 }),
  "Duration of handling one registry heartbeat."
)

/** Spend above this is an agent's bug, not a bill. */
const MAX_SPEND = 1e12

/** Absent, null and non-finite numbers count as 0 (negative ones are stored as sent, except spend). */
const finiteOrZero = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? 0 : n)

/** URLs Berth's Docker provisioner records; a register never replaces them (§5.11 rule 4). */
export const isProvisionerUrl = (url: string | null): boolean =>
  url !== null && (url.startsWith("http://127.0.0.1:") || url.startsWith("http://ws-"))

export class Registry extends Effect.Service<Registry>()("@berth/core/Registry", {
  effect: Effect.gen(function* () {
    const gate = yield* TokenGate
    const store = yield* WorkspaceStore
    const registrations = yield* AgentRegistrations
    const statusWrites = yield* StatusWrites
    const secrets = yield* InboundSecrets
    const tokens = yield* TokenRepository
    const cache = yield* InboundSecretCache
    const bus = yield* EventBus
    const resolver = yield* AgentUrl.HostResolver
    const settings = yield* DeploymentMode

    const removedNow = (id: WorkspaceId) =>
      store.get(id).pipe(
        Effect.orElseSucceed(() => Option.none()),
        Effect.flatMap((now) =>
          Effect.fail(new WorkspaceRemoved({ id, removedAt: Option.match(now, { onNone: () => null, onSome: (w) => w.updatedAt }) })))
      )

    /** §5.11 rule 4: push needs a checked url, unless Berth's own provisioner recorded the stored one (then it stays). */
    const pushUrl = (url: string | null, storedUrl: Option.Option<string | null>) =>
      Effect.gen(function* () {
        if (Option.isSome(storedUrl) && isProvisionerUrl(storedUrl.value)) return null
        if (url === null || url === "") return yield* Effect.fail(new InvalidInput({ message: "url is required for push-mode workspaces" }))
        yield* AgentUrl.check(url, settings.saasMode).pipe(Effect.provideService(AgentUrl.HostResolver, resolver))
        return url
      })

    /** Mints the first token of a workspace that had none; a failure only costs the agent its token, logged. */
    const bootstrapToken = (id: WorkspaceId) =>
      tokens.issue(id).pipe(
        Effect.map((t) => Option.some(t.token)),
        Effect.catchAll((e) => Effect.as(Effect.logWarning("register: token mint failed", e), Option.none<string>()))
      )

    /** Register: gate, tombstone, effective mode, url, upsert to `online` with `WORKSPACE_ONLINE`, token, secret. */
    const register = Effect.fn("Registry.register")(function* (r: RegisterRequest) {
      const admission = yield* gate.admit(r.id, r.bearer)
      const stored = yield* store.get(r.id)
      if (Option.isSome(stored) && stored.value.status === "removed") {
        return yield* Effect.fail(new WorkspaceRemoved({ id: r.id, removedAt: stored.value.updatedAt }))
      }
      const mode = Option.getOrElse(r.deliveryMode, () =>
        Option.match(stored, { onNone: (): DeliveryModeValue => "push", onSome: (w) => w.deliveryMode }))
      const url = mode === "push" ? yield* pushUrl(r.url, Option.map(stored, (w) => w.url)) : r.url
      // every status but removed becomes online (the one status write of register)
      const recorded = yield* registrations.register({
        id: r.id,
        url: url === "" ? null : url,
        agentCard: r.agentCard,
        deliveryMode: mode,
        event: Transitions.eventFor(Transitions.registered, {
          url: url ?? Option.match(stored, { onNone: () => null, onSome: (w) => w.url }),
          agentCard: r.agentCard,
          deliveryMode: mode
        })
      })
      // None: removed between the read and the upsert
      if (Option.isNone(recorded)) return yield* removedNow(r.id)
      yield* bus.publish(recorded.value)
      const authToken = admission === "bootstrap" ? yield* bootstrapToken(r.id) : Option.none<string>()
      const inboundSecret = yield* readOrHeal(secrets, cache, "register", r.id)
      yield* Effect.logInfo(`register: ${r.id} online (${mode})`)
      return { deliveryMode: mode, authToken, inboundSecret } satisfies Registered
    }, (effect, r) => Effect.annotateLogs(effect, "workspace_id", r.id))

    /** The heartbeat's status change, guarded on the status this beat read: a concurrent write wins and this records nothing. */
    const recordHeartbeatChange = (id: WorkspaceId, change: HeartbeatRules.Change, sample: Transitions.BeatSample) =>
      Effect.gen(function* () {
        const recorded = yield* statusWrites.transition({ id, row: change.row, input: sample }).pipe(Effect.catchAll((e) => Effect.as(Effect.logWarning("heartbeat: status transition failed", e), Option.none<WorkspaceEvent>())))
        if (Option.isNone(recorded)) return
        yield* bus.publish(recorded.value)
        if (change.from === "awaiting_agent") {
          yield* Effect.logInfo(`Heartbeat: transitioned ${id} from awaiting_agent to online (heartbeat received)`)
        }
      })

    /**
     * Heartbeat, the hot path: one batched statement judges the bearer (§4.4), stores the liveness sample and returns
     * the previous status, task and inbound secret; only a status change or a missing secret costs another round trip.
     * That statement lets every unknown or removed workspace through the gate (neither can hold a live token), so
     * judging it afterwards keeps the contract's order: gate, 404, 410.
     */
    const heartbeat = Effect.fn("Registry.heartbeat")(function* (beat: Beat) {
      const started = yield* Clock.currentTimeMillis
      const id = beat.id
      const errorRate = finiteOrZero(beat.errorRate)
      const sampleError = beat.sampleError ?? null
      const currentTask = beat.currentTask ?? null
      const activeTasks = Math.trunc(finiteOrZero(beat.activeTasks))
      const uptimeSeconds = Math.trunc(finiteOrZero(beat.uptimeSeconds))
      const found = yield* registrations.heartbeat({
        id,
        errorRate,
        sampleError,
        activeTasks,
        uptimeSeconds,
        currentTask,
        monthlySpend: Math.min(Math.max(finiteOrZero(beat.monthlySpend), 0), MAX_SPEND),
        bearer: Option.getOrUndefined(beat.bearer),
        observedAt: new Date(started)
      })
      if (Option.isNone(found)) return yield* Effect.fail(new WorkspaceNotFound({ id }))
      const seen = found.value
      yield* gate.judge(id, seen.gate, beat.bearer)
      if (seen.status === "removed" || !seen.recorded) return yield* Effect.fail(new WorkspaceRemoved({ id, removedAt: seen.updatedAt }))

      const change = HeartbeatRules.changeFor(seen.status, {
        errorRate,
        sampleError,
        wedged: beat.runtimeState === "wedged",
        statusMgmt: beat.capabilities?.["status_mgmt"] === true
      })
      if (change !== undefined) yield* recordHeartbeatChange(id, change, { errorRate, sampleError })
      const now = new Date(yield* Clock.currentTimeMillis)
      if (currentTask !== seen.previousTask) {
        yield* bus.publish({ type: "TASK_UPDATED", workspaceId: id, payload: { current_task: currentTask, active_tasks: activeTasks }, createdAt: now })
      }
      yield* bus.publish({ type: "WORKSPACE_HEARTBEAT", workspaceId: id, payload: { active_tasks: activeTasks, uptime_seconds: uptimeSeconds }, createdAt: now })
      const inboundSecret = yield* readOrHeal(secrets, cache, "heartbeat", id, seen.platformInboundSecret)
      const finished = yield* Clock.currentTimeMillis
      yield* Metric.update(heartbeatDuration, (finished - started) / 1000)
      return { inboundSecret } as const
    }, (effect, beat) => Effect.annotateLogs(effect, "workspace_id", beat.id))

    /** Update-card: gate, then store the card of a non-removed row with `AGENT_CARD_UPDATED`. */
    const updateCard = Effect.fn("Registry.updateCard")(function* (id: WorkspaceId, agentCard: unknown, bearer: Option.Option<string>) {
      yield* gate.admit(id, bearer)
      const recorded = yield* registrations.updateCard(id, agentCard, { type: "AGENT_CARD_UPDATED", payload: { agent_card: agentCard } })
      if (Option.isNone(recorded)) return yield* Effect.fail(new WorkspaceNotFound({ id }))
      yield* bus.publish(recorded.value)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** Bootstrap-failed: a `provisioning` workspace becomes `failed` with the report's tail; false when it was not provisioning. */
    const bootstrapFailed = Effect.fn("Registry.bootstrapFailed")(function* (id: WorkspaceId, report: BootstrapFailure) {
      const tail = lastBytes(report.logTail)
      const recorded = yield* statusWrites.transition({
        id,
        row: Transitions.bootstrapFailed,
        input: { error: report.error, logTail: tail },
        set: { lastSampleError: sampleError(report.error, tail) }
      })
      if (Option.isNone(recorded)) return false
      yield* bus.publish(recorded.value)
      return true
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    return { register, heartbeat, updateCard, bootstrapFailed } as const
  }),
  dependencies: [TokenGate.Default]
}) {}
