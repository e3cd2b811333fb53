/**
 * What the background loops read once at start-up (§7.1, §7.6), handed to core as values by the composition root.
 * A `Context.Reference` defaulting to the contract's values, so tests provide only what they vary.
 */
import { Context } from "effect"

export interface SweepSettingsValues {
  /** `ACTIVITY_RETENTION_DAYS`: activity rows older than this are deleted (§7.6). */
  readonly activityRetentionDays: number
  /** `ACTIVITY_CLEANUP_INTERVAL_HOURS`: period of the retention pass (§7.6). */
  readonly activityCleanupIntervalHours: number
  /** `REMOTE_LIVENESS_STALE_AFTER` seconds: an external workspace without a heartbeat this long awaits its agent (§7.1). */
  readonly remoteLivenessStaleAfterSeconds: number
  /** `HIBERNATION_IDLE_MINUTES`: the idle threshold of workspaces without one of their own; null: off (§2.4). */
  readonly hibernationIdleMinutes: number | null
}

/** The contract's defaults (§1). */
export const defaultSweepSettings: SweepSettingsValues = {
  activityRetentionDays: 7,
  activityCleanupIntervalHours: 6,
  remoteLivenessStaleAfterSeconds: 90,
  hibernationIdleMinutes: null
}

export class SweepSettings extends Context.Reference<SweepSettings>()("@berth/core/SweepSettings", {
  defaultValue: (): SweepSettingsValues => defaultSweepSettings
}) {}
