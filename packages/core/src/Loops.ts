/**
 * The standard background loops of §7 that run in every mode (health remote pass, liveness, provision timeout,
 * activity retention), as a layer. Docker-only (orphan sweeper, Docker health pass) and CP-only loops are not here yet.
 */
import { Duration, Effect, Layer } from "effect"
import * as BackgroundLoops from "./BackgroundLoops.js"
import * as HealthSweep from "./HealthSweep.js"
import { ActivityRepository } from "./ports/ActivityRepository.js"
import * as ProvisionTimeoutSweep from "./ProvisionTimeoutSweep.js"
import * as Settings from "./Settings.js"
import type { AutoRestart } from "./AutoRestart.js"
import type { EventBus } from "./ports/EventBus.js"
import type { Provisioner } from "./ports/Provisioner.js"
import type { TemplateCatalogue } from "./ports/TemplateCatalogue.js"
import type { WorkspaceRepository } from "./ports/WorkspaceRepository.js"

/** Activity retention pass (§7.6): delete activity rows older than ACTIVITY_RETENTION_DAYS (default 7). */
export const activityRetentionPass = Effect.gen(function* () {
  const days = yield* Settings.positiveInt("ACTIVITY_RETENTION_DAYS", 7)
  const deleted = yield* (yield* ActivityRepository).deleteOlderThan(days)
  if (deleted > 0) yield* Effect.logInfo(`Activity retention: deleted ${deleted} rows older than ${days} days`)
})

/** What the always-on passes need. */
type Requirements = Provisioner | WorkspaceRepository | EventBus | AutoRestart | TemplateCatalogue | ActivityRepository

/** Every always-on loop, forked and supervised; ACTIVITY_CLEANUP_INTERVAL_HOURS (default 6) read at start. */
export const layer = Layer.unwrapEffect(Effect.gen(function* () {
  const hours = yield* Settings.positiveInt("ACTIVITY_CLEANUP_INTERVAL_HOURS", 6)
  return BackgroundLoops.layer<Requirements>([
    { name: "health_sweep", period: Duration.seconds(15), atStart: false, pass: HealthSweep.pass },
    { name: "liveness", period: Duration.seconds(15), atStart: false, pass: HealthSweep.livenessPass },
    { name: "provision_timeout_sweep", period: Duration.seconds(30), atStart: false, pass: ProvisionTimeoutSweep.pass },
    { name: "activity_retention", period: Duration.hours(hours), atStart: false, pass: activityRetentionPass }
  ])
}))
