/**
 * `GET /workspaces/:id/terminal/diagnose` as a use case (§5.12), past the caller's KI-005 guard: one read of
 * `instance_id`; a CP machine (an instance id on file) is probed remotely through `RemoteTerminalProbe`, otherwise the
 * local stages ask the container backend (`ManagedContainers`) for the container. Never fails; within 30 s overall.
 */
import { Clock, Duration, Effect, Either, Option } from "effect"
import { ManagedContainers } from "../ports/ManagedContainers.js"
import type { DiagnoseStep } from "../ports/RemoteTerminalProbe.js"
import { RemoteTerminalProbe } from "../ports/RemoteTerminalProbe.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

export const dockerMissing = "docker client not configured on this workspace-server"
/** The overall deadline; a diagnosis still running then is reported as a failed `deadline` step. */
export const DEADLINE = Duration.seconds(30)

/** What a diagnosis found: the machine it probed ("" for the local stages) and every step run. */
export interface Diagnosis {
  readonly instanceId: string
  readonly steps: ReadonlyArray<DiagnoseStep>
}

/** The engine is configured: this Berth runs the Docker backend (chosen at start after a successful ping). */
const dockerAvailable: DiagnoseStep = { name: "docker-available", ok: true, durationMs: 0 }

const pastDeadline: DiagnoseStep = {
  name: "deadline",
  ok: false,
  durationMs: Duration.toMillis(DEADLINE),
  error: `diagnosis did not finish within ${Duration.format(DEADLINE)}`
}

/** Local stages (§5.12): the engine, then `ws-<id>` or its legacy name, then whether it runs. */
export const localSteps = (
  containers: Option.Option<ManagedContainers["Type"]>,
  id: WorkspaceId
): Effect.Effect<ReadonlyArray<DiagnoseStep>> =>
  Effect.gen(function* () {
    if (Option.isNone(containers)) return [{ name: "docker-available", ok: false, durationMs: 0, error: dockerMissing }]
    const started = yield* Clock.currentTimeMillis
    const location = yield* Effect.either(containers.value.locateContainer(id))
    const durationMs = (yield* Clock.currentTimeMillis) - started
    if (Either.isLeft(location)) return [dockerAvailable, { name: "container-found", ok: false, durationMs, error: location.left.message }]
    const { found, tried } = location.right
    if (Option.isNone(found)) {
      return [dockerAvailable, { name: "container-found", ok: false, durationMs, error: "no matching container", detail: `tried: ${tried.join(", ")}` }]
    }
    const container = found.value
    return [
      dockerAvailable,
      { name: "container-found", ok: true, durationMs, detail: container.name },
      container.running
        ? { name: "container-running", ok: true, durationMs: 0, detail: container.state }
        : { name: "container-running", ok: false, durationMs: 0, error: "container not running", detail: container.state }
    ]
  })

export class TerminalDiagnosis extends Effect.Service<TerminalDiagnosis>()("@berth/core/TerminalDiagnosis", {
  effect: Effect.gen(function* () {
    const containers = yield* Effect.serviceOption(ManagedContainers)
    const probe = yield* RemoteTerminalProbe
    const store = yield* WorkspaceStore

    /** Diagnoses the workspace's terminal; every failure is a step of the answer, never an error. */
    const diagnose = Effect.fn("TerminalDiagnosis.diagnose")(function* (id: WorkspaceId) {
      // One read; whatever it cannot tell (unknown row, datastore fault) means "no instance": the local stages.
      const instanceId = yield* store.get(id).pipe(
        Effect.map(Option.flatMap((w) => Option.fromNullable(w.instanceId))),
        Effect.map(Option.getOrElse(() => "")),
        Effect.catchAll((e) => Effect.as(Effect.logWarning("diagnose: instance_id read failed", e), ""))
      )
      const steps = yield* (instanceId === "" ? localSteps(containers, id) : probe.diagnose(id, instanceId)).pipe(
        Effect.timeoutTo({ duration: DEADLINE, onTimeout: () => [pastDeadline], onSuccess: (s) => s })
      )
      return { instanceId, steps } satisfies Diagnosis
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    return { diagnose } as const
  })
}) {}
