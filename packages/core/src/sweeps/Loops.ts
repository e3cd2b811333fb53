/**
 * The background loops of §7 as a layer: those of every mode (health sweep — its Docker pass runs only with the
 * Docker provisioner —, liveness, provision timeout, activity retention), plus the orphan sweeper in Docker mode and
 * the CP orphan reconciler in CP mode, the idle hibernation sweep (§2.4), chosen by the backend's capability ports when the layer is built.
 */
import { Duration, Effect, Layer, Option } from "effect"
import * as BackgroundLoops from "./BackgroundLoops.js"
import * as CpOrphanReconciler from "./CpOrphanReconciler.js"
import * as HealthSweep from "./HealthSweep.js"
import * as IdleHibernation from "./IdleHibernation.js"
import * as OrphanSweeper from "./OrphanSweeper.js"
import { ActivityRepository } from "../ports/ActivityRepository.js"
import * as ProvisionTimeoutSweep from "./ProvisionTimeoutSweep.js"
import { SweepSettings } from "./SweepSettings.js"
import type { AutoRestart } from "../lifecycle/AutoRestart.js"
import type { EventBus } from "../ports/EventBus.js"
import type { LeakSuspects } from "../ports/LeakSuspects.js"
import { MachineConsole } from "../ports/MachineConsole.js"
import { ManagedContainers } from "../ports/ManagedContainers.js"
import type { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import type { TokenRepository } from "../ports/TokenRepository.js"
import type { StatusWrites } from "../ports/StatusWrites.js"
import type { SweepCandidates } from "../ports/SweepCandidates.js"
import type { WorkspaceStore } from "../ports/WorkspaceStore.js"

/** Activity retention pass (§7.6): delete activity rows older than ACTIVITY_RETENTION_DAYS (default 7). */
export const activityRetentionPass = Effect.gen(function* () {
  const days = (yield* SweepSettings).activityRetentionDays
  const deleted = yield* (yield* ActivityRepository).deleteOlderThan(days)
  if (deleted > 0) yield* Effect.logInfo(`Activity retention: deleted ${deleted} rows older than ${days} days`)
})

/** What the passes need (the backend ports are read optionally, see `backendLoops`). */
type Requirements =
  | SweepCandidates
  | StatusWrites
  | WorkspaceStore
  | TokenRepository
  | LeakSuspects
  | EventBus
  | AutoRestart
  | TemplateCatalogue
  | ActivityRepository

/**
 * Loops of the backend, both every 60 s and once at start: §7.3 when it manages containers (Docker), §7.4 when it
 * has machines (the CP, the only backend with a machine console).
 */
const backendLoops = Effect.gen(function* () {
  const containers = Option.isSome(yield* Effect.serviceOption(ManagedContainers))
  const machines = Option.isSome(yield* Effect.serviceOption(MachineConsole))
  const loops: Array<BackgroundLoops.LoopSpec<Requirements>> = []
  if (containers) loops.push({ name: "orphan_sweeper", period: Duration.seconds(60), atStart: true, pass: OrphanSweeper.pass })
  if (machines) loops.push({ name: "cp_orphan_reconciler", period: Duration.seconds(60), atStart: true, pass: CpOrphanReconciler.pass })
  return loops
})

/** Every loop, forked and supervised; the retention period comes from `SweepSettings`. */
export const layer = Layer.unwrapEffect(Effect.gen(function* () {
  const hours = (yield* SweepSettings).activityCleanupIntervalHours
  return BackgroundLoops.layer<Requirements>([
    ...(yield* backendLoops),
    { name: "health_sweep", period: Duration.seconds(15), atStart: false, pass: HealthSweep.pass },
    { name: "liveness", period: Duration.seconds(15), atStart: false, pass: HealthSweep.livenessPass },
    { name: "provision_timeout_sweep", period: Duration.seconds(30), atStart: false, pass: ProvisionTimeoutSweep.pass },
    { name: "idle_hibernation", period: Duration.seconds(60), atStart: false, pass: IdleHibernation.pass },
    { name: "activity_retention", period: Duration.hours(hours), atStart: false, pass: activityRetentionPass }
  ])
}))
