/** Core's `SweepSettings` from the environment (§7.1, §7.6), read once at start by main. */
import type { SweepSettingsValues } from "@berth/core"
import { defaultSweepSettings, SweepSettings } from "@berth/core"
import { Effect, Layer } from "effect"
import { positiveInt } from "./PositiveInt.js"

export const settings: Effect.Effect<SweepSettingsValues> = Effect.all({
  activityRetentionDays: positiveInt("ACTIVITY_RETENTION_DAYS", defaultSweepSettings.activityRetentionDays),
  activityCleanupIntervalHours: positiveInt("ACTIVITY_CLEANUP_INTERVAL_HOURS", defaultSweepSettings.activityCleanupIntervalHours),
  remoteLivenessStaleAfterSeconds: positiveInt("REMOTE_LIVENESS_STALE_AFTER", defaultSweepSettings.remoteLivenessStaleAfterSeconds),
  // §2.4: unset (or unusable) → no default threshold; only workspaces with their own hibernate when idle
  hibernationIdleMinutes: Effect.map(positiveInt("HIBERNATION_IDLE_MINUTES", 0), (n) => (n === 0 ? null : n))
})

export const layer: Layer.Layer<SweepSettings> = Layer.effect(SweepSettings, settings)
