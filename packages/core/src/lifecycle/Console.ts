/**
 * `GET /workspaces/:id/console` as a use case (§5.12): a CP machine's console output. Only the CP backend has a
 * machine console; any other backend answers `NoMachineConsole` (the contract's 501) before the row is read.
 */
import { Effect, Option } from "effect"
import { NoMachineConsole, WorkspaceNotFound } from "../domain/Errors.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

export class Console extends Effect.Service<Console>()("@berth/core/Console", {
  effect: Effect.gen(function* () {
    const machines = yield* Effect.serviceOption(MachineConsole)
    const store = yield* WorkspaceStore

    /**
     * The console text of the workspace's machine. Fails with `NoMachineConsole` outside CP mode, `WorkspaceNotFound`
     * for an unknown row, `DatastoreUnavailable`, or `ProvisionFailed` when the CP request fails (logged here).
     */
    const output = Effect.fn("Console.output")(function* (id: WorkspaceId) {
      if (Option.isNone(machines)) return yield* new NoMachineConsole()
      const row = yield* store.get(id)
      if (Option.isNone(row)) return yield* new WorkspaceNotFound({ id })
      return yield* machines.value.consoleOutput({ id, instanceId: row.value.instanceId }).pipe(
        Effect.tapError((e) => Effect.logWarning("console: CP request failed", e))
      )
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    return { output } as const
  })
}) {}
