/**
 * The A2A proxy (§5.13): one agent (or the canvas) sends a JSON-RPC message to a workspace through Berth, which
 * checks who may talk to whom (the hierarchy rule of §4.5), finds where the target listens, wakes it when it
 * hibernates, forwards within a time and size bound, and records the exchange on both sides.
 *
 * Checks come before anything changes: a body that is too large or not JSON, a forged caller, a caller token that
 * does not match and a refused pair change nothing (upstream validates the body only after it has started a wake).
 */
import { Clock, Duration, Effect, Option } from "effect"
import * as AgentUrl from "../domain/AgentUrl.js"
import { DeploymentMode } from "../domain/DeploymentMode.js"
import {
  A2aAccessDenied, A2aBodyTooLarge, A2aCallerForged, AgentAnsweredError, AgentBusy, AgentResponseUnreadable,
  AgentUnreachable, AgentUrlMissing, AgentUrlRefused, BudgetExceeded, WorkspaceWaking
} from "../domain/Errors.js"
import { EXTERNAL } from "../domain/Runtime.js"
import * as Transitions from "../domain/Transitions.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import * as WorkspaceIds from "../domain/WorkspaceId.js"
import { Activities } from "../activity/Activity.js"
import { AutoRestart } from "../lifecycle/AutoRestart.js"
import { Hibernation } from "../lifecycle/Hibernation.js"
import type { AgentAnswer, AgentCallFailed } from "../ports/AgentTransport.js"
import { AgentTransport } from "../ports/AgentTransport.js"
import type { ActivityStatus } from "../ports/ActivityRepository.js"
import { EventBus } from "../ports/EventBus.js"
import { Provisioner } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import type { Workspace } from "../ports/WorkspaceRecords.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { isProvisionerUrl } from "../registry/Registry.js"
import { Hierarchy } from "../registry/Hierarchy.js"
import { TokenGate } from "../registry/TokenGate.js"
import { requireLive } from "../workspaces/LiveWorkspace.js"
import type { Envelope } from "./A2aPayload.js"
import * as A2aPayload from "./A2aPayload.js"

/** Upstream's bounds: 1 MiB in, 10 MiB back. */
export const MAX_REQUEST_BYTES = 1 << 20
export const MAX_RESPONSE_BYTES = 10 << 20
/** How long a forward may take without `X-Timeout`: the canvas waits 5 minutes, an agent at most 30 (a runaway-loop cap). */
export const CANVAS_TIMEOUT = Duration.minutes(5)
export const AGENT_TIMEOUT = Duration.minutes(30)
/** The hints of the two 503s a caller retries. */
export const WAKE_RETRY_SECONDS = 15
export const BUSY_RETRY_SECONDS = 30

/** Caller ids only server code may use; a request header spelling one is forged. */
export const systemCallerPrefixes = ["webhook:", "system:", "test:", "channel:"] as const
export const isSystemCaller = (caller: string): boolean => systemCallerPrefixes.some((p) => caller.startsWith(p))

export interface A2aRequest {
  readonly target: WorkspaceId
  /** `X-Workspace-ID`: the calling workspace; "" for the canvas (trusted, as upstream). */
  readonly caller: string
  readonly bearer: Option.Option<string>
  readonly body: string
  /** `X-Timeout` in seconds: a positive number bounds the forward (never beyond `AGENT_TIMEOUT`); 0 or absent, the default. */
  readonly timeoutSeconds: Option.Option<number>
}

/** The agent's 2xx answer, forwarded as it came. */
export interface A2aAnswer {
  readonly status: number
  readonly body: string
}

/** The forward's bound: `X-Timeout` when positive, else the caller's default, never beyond the agent ceiling. */
export const forwardTimeout = (caller: string, timeoutSeconds: Option.Option<number>): Duration.Duration =>
  Option.match(Option.filter(timeoutSeconds, (s) => s > 0), {
    onNone: () => (caller === "" ? CANVAS_TIMEOUT : AGENT_TIMEOUT),
    onSome: (s) => Duration.min(Duration.seconds(s), AGENT_TIMEOUT)
  })

/** UTF-8 length of `text` (core has no Buffer): lone surrogates count as the 3-byte replacement they are sent as. */
export const utf8Length = (text: string): number => {
  let bytes = 0
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}

export class A2aProxy extends Effect.Service<A2aProxy>()("@berth/core/A2aProxy", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const statusWrites = yield* StatusWrites
    const bus = yield* EventBus
    const hierarchy = yield* Hierarchy
    const gate = yield* TokenGate
    const activities = yield* Activities
    const hibernation = yield* Hibernation
    const restarts = yield* AutoRestart
    const transport = yield* AgentTransport
    const mode = yield* DeploymentMode
    const resolver = yield* AgentUrl.HostResolver
    const backend = yield* Effect.serviceOption(Provisioner)

    /** The calling workspace, authenticated; none for the canvas and for a workspace calling itself (upstream skips both). */
    const callingWorkspace = (request: A2aRequest) =>
      Effect.gen(function* () {
        if (request.caller === "") return Option.none<WorkspaceId>()
        const refused = new A2aAccessDenied({ callerId: request.caller, targetId: request.target })
        const caller = yield* Effect.orElseFail(WorkspaceIds.parse(request.caller), () => refused)
        if (caller !== request.target) {
          yield* gate.admit(caller, request.bearer)
          if (!(yield* hierarchy.canCommunicate(caller, request.target))) return yield* Effect.fail(refused)
        }
        return Option.some(caller)
      })

    /** Where the target listens, after the budget, wake and URL rules. */
    const agentUrl = (target: Workspace) =>
      Effect.gen(function* () {
        if (target.budgetLimit !== null && target.monthlySpend >= target.budgetLimit) {
          return yield* Effect.fail(new BudgetExceeded({ id: target.id }))
        }
        if (target.status === "hibernated") {
          // The claim (hibernated → provisioning) happens before the answer, so the caller's retry finds it waking.
          yield* hibernation.resume(target.id)
          return yield* Effect.fail(new WorkspaceWaking({ id: target.id, retryAfterSeconds: WAKE_RETRY_SECONDS }))
        }
        const url = target.url ?? ""
        if (url === "") return yield* Effect.fail(new AgentUrlMissing({ id: target.id, status: target.status }))
        // A URL Berth's own Docker provisioner recorded is trusted; any other is checked now, DNS included (§9.6).
        if (!(target.runtime !== EXTERNAL && isProvisionerUrl(url))) {
          yield* AgentUrl.check(url, mode.saasMode).pipe(
            Effect.provideService(AgentUrl.HostResolver, resolver),
            Effect.mapError((e) => new AgentUrlRefused({ id: target.id, reason: e.message }))
          )
        }
        return url
      })

    /** One exchange on both sides: `a2a_receive` on the target, `a2a_send` on a calling workspace. Never fails. */
    const recordExchange = (
      target: Workspace,
      caller: Option.Option<WorkspaceId>,
      envelope: Envelope,
      outcome: { readonly status: ActivityStatus; readonly summary: string; readonly response: unknown; readonly error: string | null; readonly durationMs: number }
    ) => {
      const row = {
        sourceId: Option.getOrNull(caller),
        targetId: target.id,
        method: envelope.method,
        summary: outcome.summary,
        requestBody: envelope.json,
        responseBody: outcome.response,
        toolTrace: A2aPayload.toolTrace(outcome.response),
        durationMs: outcome.durationMs,
        status: outcome.status,
        errorDetail: outcome.error
      }
      const rows = [
        { ...row, workspaceId: target.id, activityType: "a2a_receive" as const },
        ...Option.toArray(Option.filter(caller, (id) => id !== target.id)).map((id) => ({ ...row, workspaceId: id, activityType: "a2a_send" as const }))
      ]
      return Effect.forEach(rows, activities.record, { discard: true }).pipe(
        Effect.catchAll((e) => Effect.logWarning("A2A proxy: activity not recorded", e))
      )
    }

    /** After a refused connection: a container agent whose workload is not running goes offline and is restarted. */
    const reactToDeadAgent = (target: Workspace) =>
      Effect.gen(function* () {
        if (target.runtime === EXTERNAL || Option.isNone(backend)) return false
        if (yield* backend.value.isRunning({ id: target.id, instanceId: target.instanceId })) return false
        const recorded = yield* statusWrites.transition({ id: target.id, row: Transitions.agentUnreachable, input: undefined })
        if (Option.isNone(recorded)) return false
        yield* Effect.logWarning(`A2A proxy: workload of ${target.id} is not running — marking offline and restarting`)
        yield* bus.publish(recorded.value)
        yield* restarts.request(target.id, "auto_restart")
        return true
      }).pipe(Effect.catchAll((e) => Effect.as(Effect.logWarning("A2A proxy: dead-agent check failed", e), false)))

    /** What a failed call means for the caller, once recorded. */
    const callFailure = (target: Workspace, failure: AgentCallFailed) =>
      Effect.gen(function* () {
        if (failure.kind === "unreadable") {
          const confirmed = failure.status !== undefined && failure.status >= 200 && failure.status < 400
          return new AgentResponseUnreadable({ id: target.id, deliveryConfirmed: confirmed })
        }
        if (failure.kind === "timeout" || failure.kind === "dropped") {
          return new AgentBusy({ id: target.id, retryAfterSeconds: BUSY_RETRY_SECONDS })
        }
        return new AgentUnreachable({ id: target.id, restarting: yield* reactToDeadAgent(target) })
      })

    /** The agent's answer: 2xx forwarded, 3xx and above refused with its own message (A2A follows no redirects). */
    const answerOf = (answer: AgentAnswer) =>
      answer.status >= 300
        ? Effect.fail(new AgentAnsweredError({
          status: answer.status,
          message: Option.getOrElse(A2aPayload.agentErrorMessage(answer.body), () => answer.statusText)
        }))
        : Effect.succeed({ status: answer.status, body: answer.body } satisfies A2aAnswer)

    /**
     * Forwards one message. Fails with `A2aCallerForged`, `A2aBodyTooLarge`, `InvalidInput`, `TokenRejected`,
     * `A2aAccessDenied`, `WorkspaceNotFound`/`WorkspaceRemoved`, `BudgetExceeded`, `WorkspaceWaking` (or the wake's
     * own refusal), `AgentUrlMissing`, `AgentUrlRefused`, `AgentBusy`, `AgentUnreachable`, `AgentResponseUnreadable`,
     * `AgentAnsweredError` or `DatastoreUnavailable`.
     */
    const forward = Effect.fn("A2aProxy.forward")(function* (request: A2aRequest) {
      if (isSystemCaller(request.caller)) return yield* Effect.fail(new A2aCallerForged({ callerId: request.caller }))
      if (utf8Length(request.body) > MAX_REQUEST_BYTES) return yield* Effect.fail(new A2aBodyTooLarge({ limitBytes: MAX_REQUEST_BYTES }))
      const envelope = yield* A2aPayload.normalize(request.body)
      const caller = yield* callingWorkspace(request)
      const target = yield* requireLive(store, request.target)
      const url = yield* agentUrl(target)

      const started = yield* Clock.currentTimeMillis
      const result = yield* Effect.either(transport.post({
        url,
        body: envelope.body,
        timeoutMillis: Duration.toMillis(forwardTimeout(request.caller, request.timeoutSeconds)),
        maxResponseBytes: MAX_RESPONSE_BYTES
      }))
      const durationMs = (yield* Clock.currentTimeMillis) - started

      if (result._tag === "Left") {
        const failure = result.left
        const delivered = failure.kind === "unreadable" && failure.status !== undefined && failure.status < 400
        yield* recordExchange(target, caller, envelope, delivered
          ? { status: "ok", summary: `${envelope.method} → ${target.name}`, response: null, error: null, durationMs }
          : {
            status: failure.kind === "timeout" ? "timeout" : "error",
            summary: `A2A request to ${target.name} failed: ${failure.message}`,
            response: null,
            error: failure.message,
            durationMs
          })
        return yield* Effect.fail(yield* callFailure(target, failure))
      }

      const answer = result.right
      const response = A2aPayload.answerJson(answer.body)
      yield* recordExchange(target, caller, envelope, {
        status: answer.status >= 400 ? "error" : "ok", summary: `${envelope.method} → ${target.name}`, response, error: null, durationMs
      })
      if (Option.isSome(caller) && answer.status < 400) {
        yield* Effect.catchAll(store.recordOutbound(caller.value), (e) => Effect.logWarning("A2A proxy: last_outbound_at not stamped", e))
      }
      return yield* answerOf(answer)
    }, (effect, request) => Effect.annotateLogs(effect, "workspace_id", request.target))

    return { forward } as const
  }),
  dependencies: [Hierarchy.Default, TokenGate.Default, Activities.Default, Hibernation.Default]
}) {}
