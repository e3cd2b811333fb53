/**
 * The idle sweep (§2.4): container workspaces that are online or degraded and idle — no active task reported since
 * `idle_since` — for their threshold (their own `hibernation_idle_minutes`, else the server's default; neither: never)
 * are claimed `hibernating` by one set-based statement per status left, then each is stopped and settled like a
 * hibernation through the route (`hibernated`, or its prior status back with the reason). The loop runs under
 * leadership, and the claim is a guarded write besides, so two replicas never hibernate one workspace twice.
 */
import { Clock, Effect, Option } from "effect"
import * as Transitions from "../domain/Transitions.js"
import * as WorkspaceId from "../domain/WorkspaceId.js"
import { EventBus } from "../ports/EventBus.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import { Provisioner } from "../ports/Provisioner.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { completeHibernation } from "../lifecycle/WorkloadStop.js"
import { SweepSettings } from "./SweepSettings.js"

/** One pass (§7.7): claim every idle row (the service's clock is "now"), then stop and settle each claim. */
export const pass = Effect.gen(function* () {
  const minutes = (yield* SweepSettings).hibernationIdleMinutes
  const statusWrites = yield* StatusWrites
  const bus = yield* EventBus
  const store = yield* WorkspaceStore
  const backend = yield* Effect.serviceOption(Provisioner)
  // Without a backend nothing was started here, so there is nothing to stop.
  if (Option.isNone(backend)) return
  const machines = Option.isSome(yield* Effect.serviceOption(MachineConsole))
  const asOf = new Date(yield* Clock.currentTimeMillis)
  const staleAfterSeconds = minutes === null ? null : minutes * 60
  for (const [rule, prior] of [[Transitions.idleOnline, "online"], [Transitions.idleDegraded, "degraded"]] as const) {
    const claimed = yield* statusWrites.transitionWhere({ rule, staleAfterSeconds, asOf })
    for (const event of claimed) {
      yield* bus.publish(event)
      if (event.workspaceId === null) continue
      const row = yield* store.get(WorkspaceId.unsafeMake(event.workspaceId))
      if (Option.isNone(row)) continue
      yield* Effect.logInfo(`Idle sweep: hibernating ${row.value.id}, idle past its threshold`)
      yield* completeHibernation(backend, machines, row.value, prior, "idle_sweep")
    }
  }
})
