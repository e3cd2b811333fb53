/**
 * Health sweep remote pass (contract §7.1) and liveness (§7.2): each one set-based repository statement, then the
 * recorded events published; liveness runs the offline handler (auto-restart request) per row.
 */
import { Effect, Option } from "effect"
import { SweepSettings } from "./sweeps/SweepSettings.js"
import { AutoRestart } from "./AutoRestart.js"
import { EventBus } from "./ports/EventBus.js"
import { Provisioner } from "./ports/Provisioner.js"
import { WorkspaceRepository } from "./ports/WorkspaceRepository.js"
import type { WorkspaceId } from "./WorkspaceId.js"
import { statuses } from "./WorkspaceStatus.js"

/** `REMOTE_LIVENESS_STALE_AFTER` seconds, read at start by main (`SweepSettings`). */
export const remoteStaleAfter: Effect.Effect<number> = Effect.map(SweepSettings, (s) => s.remoteLivenessStaleAfterSeconds)

/** Liveness threshold on `last_heartbeat_at` (§7.2). */
export const LIVENESS_STALE_AFTER_SECONDS = 180

/** Remote pass: stale external rows → `awaiting_agent` + `WORKSPACE_AWAITING_AGENT`; no restart. */
export const remotePass = Effect.gen(function* () {
  const repo = yield* WorkspaceRepository
  const bus = yield* EventBus
  const staleAfter = yield* remoteStaleAfter
  const events = yield* repo.markStaleExternalAwaiting(staleAfter)
  yield* Effect.forEach(events, (event) =>
    Effect.zipRight(
      Effect.logInfo(`Health sweep (remote): ${event.workspaceId} heartbeat stale (>${staleAfter}s) — marking awaiting_agent`),
      bus.publish(event)
    ), { discard: true })
})

/** Liveness pass: stale container rows → `offline` + `WORKSPACE_OFFLINE`, then an auto-restart request. */
export const livenessPass = Effect.gen(function* () {
  const repo = yield* WorkspaceRepository
  const bus = yield* EventBus
  const restart = yield* AutoRestart
  const events = yield* repo.markLivenessOffline(LIVENESS_STALE_AFTER_SECONDS)
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
const notRemovedOrProvisioning = statuses.filter((s) => s !== "removed" && s !== "provisioning")

export const dockerPass = Effect.gen(function* () {
  const provisioner = yield* Provisioner
  if (provisioner.kind !== "docker") return
  const repo = yield* WorkspaceRepository
  const bus = yield* EventBus
  const restart = yield* AutoRestart
  for (const ws of yield* repo.onlineContainerWorkspaces) {
    const running = yield* Effect.orElseSucceed(provisioner.isRunning({ id: ws.id, instanceId: ws.instanceId }), () => true)
    if (running) continue
    yield* Effect.logWarning(`Health sweep: container for ${ws.id} is gone — marking offline`)
    const recorded = yield* repo.transition({
      id: ws.id, to: "offline", from: notRemovedOrProvisioning,
      event: { type: "WORKSPACE_OFFLINE", payload: { source: "health_sweep" } }
    })
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
