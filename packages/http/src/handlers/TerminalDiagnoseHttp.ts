/**
 * `GET /workspaces/:id/terminal/diagnose` (§5.12): the KI-005 guard first, then one read of `instance_id`. A CP
 * machine (an instance id on file) is probed remotely through the `RemoteTerminalProbe` port; otherwise the local
 * stages ask the provisioner for the container. Past the guards the answer is always 200, within 30 s overall.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { DiagnoseStep, WorkspaceId } from "@berth/core"
import { Provisioner, RemoteTerminalProbe, WorkspaceRepository } from "@berth/core"
import { Clock, Duration, Effect, Either, Layer, Option } from "effect"
import { Api } from "../Api.js"
import { crossWorkspaceGuard } from "../guards/CrossWorkspace.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"

/** The route's KI-005 403 message (§4.5). */
export const forbiddenMessage = "not authorized to diagnose this workspace's terminal"
export const dockerMissing = "docker client not configured on this workspace-server"
/** The overall deadline; a diagnosis still running then is reported as a failed `deadline` step. */
export const DEADLINE = Duration.seconds(30)

/** The engine is configured: this Berth runs the Docker provisioner (chosen at start after a successful ping). */
const dockerAvailable: DiagnoseStep = { name: "docker-available", ok: true, durationMs: 0 }

/** Local stages (§5.12): the engine, then `ws-<id>` or its legacy name, then whether it runs. */
export const localSteps = (
  provisioner: Provisioner["Type"],
  id: WorkspaceId.WorkspaceId
): Effect.Effect<ReadonlyArray<DiagnoseStep>> =>
  Effect.gen(function* () {
    if (provisioner.kind !== "docker") return [{ name: "docker-available", ok: false, durationMs: 0, error: dockerMissing }]
    const started = yield* Clock.currentTimeMillis
    const location = yield* Effect.either(provisioner.locateContainer(id))
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

/** The answer: `ok` only when every step passed; the chain ends at its first failure; empty fields omitted. */
export const toWire = (id: string, instanceId: string, all: ReadonlyArray<DiagnoseStep>) => {
  const failed = all.findIndex((s) => !s.ok)
  const steps = failed === -1 ? all : all.slice(0, failed + 1)
  const firstFailure = failed === -1 ? undefined : steps[failed]?.name
  return {
    workspace_id: id,
    ...(instanceId === "" ? {} : { instance_id: instanceId }),
    remote: instanceId !== "",
    ok: steps.length > 0 && failed === -1,
    ...(firstFailure === undefined ? {} : { first_failure: firstFailure }),
    steps: steps.map((s) => ({
      name: s.name,
      ok: s.ok,
      duration_ms: Math.round(s.durationMs),
      ...(s.error === undefined || s.error === "" ? {} : { error: s.error }),
      ...(s.detail === undefined || s.detail === "" ? {} : { detail: s.detail })
    }))
  }
}

const pastDeadline: DiagnoseStep = {
  name: "deadline",
  ok: false,
  durationMs: Duration.toMillis(DEADLINE),
  error: `diagnosis did not finish within ${Duration.format(DEADLINE)}`
}

export const TerminalDiagnoseLive = HttpApiBuilder.group(Api, "terminalDiagnose", (handlers) =>
  Effect.gen(function* () {
    const provisioner = yield* Provisioner
    const probe = yield* RemoteTerminalProbe
    const repo = yield* WorkspaceRepository
    return handlers.handle("diagnose", ({ path, request }) =>
      Effect.gen(function* () {
        yield* crossWorkspaceGuard(path.id, request.headers, yield* WorkspaceAuth.Caller, forbiddenMessage)
        // One read; whatever it cannot tell (unknown row, datastore fault) means "no instance": the local stages.
        const instanceId = yield* repo.get(path.id).pipe(
          Effect.map(Option.flatMap((w) => Option.fromNullable(w.instanceId))),
          Effect.map(Option.getOrElse(() => "")),
          Effect.catchAll((e) => Effect.as(Effect.logWarning("diagnose: instance_id read failed", e), ""))
        )
        const steps = yield* (instanceId === "" ? localSteps(provisioner, path.id) : probe.diagnose(path.id, instanceId)).pipe(
          Effect.timeoutTo({ duration: DEADLINE, onTimeout: () => [pastDeadline], onSuccess: (s) => s })
        )
        return toWire(path.id, instanceId, steps)
      }).pipe(Effect.annotateLogs("workspace_id", path.id)))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
