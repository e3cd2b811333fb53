/**
 * CP orphan reconciler (contract §7.4), CP mode only: `removed` workspaces still holding an `instance_id` get one CP
 * stop each (success clears `instance_id`), and each open `cp_leak_suspects` row one stop of its instance (success
 * sets `resolved_at`). No in-cycle retry: a failure is logged and the next cycle tries again.
 */
import { Effect, Option } from "effect"
import { LeakSuspects } from "../ports/LeakSuspects.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import type { WorkloadRef } from "../ports/Provisioner.js"
import { Provisioner } from "../ports/Provisioner.js"
import { SweepCandidates } from "../ports/SweepCandidates.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { backendCall } from "../lifecycle/ProvisionPipeline.js"

/** One stop; true when it worked (the failure is logged). */
const stopOnce = (provisioner: Provisioner["Type"], ref: WorkloadRef, what: string) =>
  Effect.gen(function* () {
    const stopped = yield* Effect.either(backendCall(provisioner.stop(ref)))
    if (stopped._tag === "Right") {
      yield* Effect.logInfo(`CP orphan reconciler: stopped machine ${ref.instanceId} of ${what} ${ref.id}`)
      return true
    }
    yield* Effect.logWarning(`CP orphan reconciler: stopping machine ${ref.instanceId} of ${what} ${ref.id} failed, retrying next cycle`, stopped.left)
    return false
  })

/** Removed rows that still hold a machine. */
export const removedMachinesPass = (provisioner: Provisioner["Type"]) => Effect.gen(function* () {
  const candidates = yield* SweepCandidates
  const store = yield* WorkspaceStore
  for (const row of yield* candidates.removedWithInstance) {
    if (yield* stopOnce(provisioner, { id: row.id, instanceId: row.instanceId }, "removed workspace")) yield* store.setInstanceId(row.id, null)
  }
})

/** Open leak suspects: CP stops that exhausted their retries during a restart (§8.4). */
export const leakSuspectsPass = (provisioner: Provisioner["Type"]) => Effect.gen(function* () {
  const leaks = yield* LeakSuspects
  for (const leak of yield* leaks.listOpen) {
    if (yield* stopOnce(provisioner, { id: leak.workspaceId, instanceId: leak.instanceId }, "leak suspect of workspace")) yield* leaks.resolve(leak.id)
  }
})

/**
 * One reconciler cycle; the two parts are independent. Nothing outside CP mode, which is recognised by the machine
 * console only the CP layer provides.
 */
export const pass = Effect.gen(function* () {
  const backend = yield* Effect.serviceOption(Provisioner)
  const machines = yield* Effect.serviceOption(MachineConsole)
  if (Option.isNone(backend) || Option.isNone(machines)) return
  const provisioner = backend.value
  yield* Effect.catchAllCause(removedMachinesPass(provisioner), (cause) => Effect.logError("CP orphan reconciler: removed workspaces failed", cause))
  yield* Effect.catchAllCause(leakSuspectsPass(provisioner), (cause) => Effect.logError("CP orphan reconciler: leak suspects failed", cause))
})
