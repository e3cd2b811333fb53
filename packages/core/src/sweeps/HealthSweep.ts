/**
 * Health sweep remote pass (contract §7.1) and liveness (§7.2): each one set-based repository statement, then the
 * recorded events published; liveness runs the offline handler (auto-restart request) per row.
 */
import { Effect, Option } from "effect"
import * as Transitions from "../domain/Transitions.js"
import { SweepSettings } from "./SweepSettings.js"
import { AutoRestart } from "../lifecycle/AutoRestart.js"
import { EventBus } from "../ports/EventBus.js"
import { ManagedContainers } from "../ports/ManagedContainers.js"
import { Provisioner } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { SweepCandidates } from "../ports/SweepCandidates.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** `REMOTE_LIVENESS_STALE_AFTER` seconds, read at start by main (`SweepSettings`). */
export const remoteStaleAfter: Effect.Effect<number> = Effect.map(SweepSettings, (s) => s.remoteLivenessStaleAfterSeconds)

/** Liveness threshold on `last_heartbeat_at` (§7.2). */
export const LIVENESS_STALE_AFTER_SECONDS = 180

/** Remote pass: stale external rows → `awaiting_agent` + `WORKSPACE_AWAITING_AGENT`; no restart. */
export const remotePass = Effect.gen(function* () {
  const statusWrites = yield* StatusWrites
  const bus = yield* EventBus
  const staleAfter = yield* remoteStaleAfter
  const events = yield* statusWrites.transitionWhere({ rule: Transitions.remoteStale, staleAfterSeconds: staleAfter })
  yield* Effect.forEach(events, (event) =>
    Effect.zipRight(
      Effect.logInfo(`Health sweep (remote): ${event.workspaceId} heartbeat stale (>${staleAfter}s) — marking awaiting_agent`),
      bus.publish(event)
    ), { discard: true })
})

/** Liveness pass: stale container rows → `offline` + `WORKSPACE_OFFLINE`, then an auto-restart request. */
export const livenessPass = Effect.gen(function* () {
  const statusWrites = yield* StatusWrites
  const bus = yield* EventBus
  const restart = yield* AutoRestart
  const events = yield* statusWrites.transitionWhere({ rule: Transitions.livenessOffline, staleAfterSeconds: LIVENESS_STALE_AFTER_SECONDS })
  yield* Effect.forEach(events, (event) =>
    Effect.gen(function* () {
      yield* bus.publish(event)
      if (event.workspaceId !== null) yield* restart.request(event.workspaceId as WorkspaceId, "auto_restart")
    }), { discard: true })
})

/**
 * Docker pass (only with the Docker provisioner): an `online`/`degraded` container row whose container is not
 * running → `offline` (not from removed/provisioning), `WORKSPACE_OFFLINE` `{source:"health_sweep"}`, auto-restart.
 * An engine error skips the row: no false positive.
 */
export const dockerPass = Effect.gen(function* () {
  const backend = yield* Effect.serviceOption(Provisioner)
  // Containers: the workloads are local and `isRunning` asks the engine (the CP has its own reconciler, §7.4).
  if (Option.isNone(backend) || Option.isNone(yield* Effect.serviceOption(ManagedContainers))) return
  const provisioner = backend.value
  const candidates = yield* SweepCandidates
  const statusWrites = yield* StatusWrites
  const bus = yield* EventBus
  const restart = yield* AutoRestart
  for (const ws of yield* candidates.onlineContainerWorkspaces) {
    // The port answers running when the engine cannot tell: no false positive.
    const running = yield* provisioner.isRunning({ id: ws.id, instanceId: ws.instanceId })
    if (running) continue
    yield* Effect.logWarning(`Health sweep: container for ${ws.id} is gone — marking offline`)
    const recorded = yield* statusWrites.transition({ id: ws.id, row: Transitions.containerGone, input: undefined })
    if (Option.isNone(recorded)) continue
    yield* bus.publish(recorded.value)
    yield* restart.request(ws.id, "auto_restart")
  }
})

/** One health sweep: the Docker pass (when Docker) and the remote pass, which runs even when the Docker pass fails. */
export const pass = Effect.zipRight(
  Effect.catchAllCause(dockerPass, (cause) => Effect.logError("Health sweep: docker pass failed", cause)),
  remotePass
)
