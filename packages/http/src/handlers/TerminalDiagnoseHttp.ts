/**
 * `GET /workspaces/:id/terminal/diagnose` (§5.12): the KI-005 guard, then the core `TerminalDiagnosis` use case,
 * encoded. Past the guard the answer is always 200.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { DiagnoseStep } from "@berth/core"
import { TerminalDiagnosis } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import { crossWorkspaceGuard } from "../guards/CrossWorkspace.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"

/** The route's KI-005 403 message (§4.5). */
export const forbiddenMessage = "not authorized to diagnose this workspace's terminal"

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

export const TerminalDiagnoseLive = HttpApiBuilder.group(Api, "terminalDiagnose", (handlers) =>
  Effect.gen(function* () {
    const diagnosis = yield* TerminalDiagnosis.TerminalDiagnosis
    return handlers.handle("diagnose", ({ path, request }) =>
      Effect.gen(function* () {
        yield* crossWorkspaceGuard(path.id, request.headers, yield* WorkspaceAuth.Caller, forbiddenMessage)
        const { instanceId, steps } = yield* diagnosis.diagnose(path.id)
        return toWire(path.id, instanceId, steps)
      }))
  })).pipe(Layer.provide(WorkspaceAuth.layer), Layer.provide(TerminalDiagnosis.TerminalDiagnosis.Default))
