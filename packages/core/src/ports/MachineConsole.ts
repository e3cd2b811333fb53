import { Context } from "effect"
import type { Effect } from "effect"
import type { ProvisionFailed } from "../domain/Errors.js"
import type { WorkloadRef } from "./Provisioner.js"

/**
 * Capability of a machine backend (the CP): a machine's console output (§5.12 `GET …/console`). Only the CP layer
 * provides it, so its presence also means "workloads are remote machines" (the CP orphan reconciler, §7.4);
 * callers ask with `Effect.serviceOption(MachineConsole)`.
 */
export class MachineConsole extends Context.Tag("@berth/core/MachineConsole")<MachineConsole, {
  readonly consoleOutput: (ref: WorkloadRef) => Effect.Effect<string, ProvisionFailed>
}>() {}
