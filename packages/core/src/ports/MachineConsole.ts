import { Context } from "effect"
import type { Provisioner } from "./Provisioner.js"

/**
 * Capability of a machine backend (the CP): a machine's console output (§5.12 `GET …/console`). Present exactly when
 * workloads are remote machines; callers ask with `Effect.serviceOption` (issue 16: being split out of `Provisioner`).
 */
export class MachineConsole extends Context.Tag("@berth/core/MachineConsole")<
  MachineConsole,
  Pick<Provisioner["Type"], "consoleOutput">
>() {}
