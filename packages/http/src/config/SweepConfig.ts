/** Core's `SweepSettings` from the environment (§7.1, §7.6), read once at start by main. */
import type { SweepSettingsValues } from "@berth/core"
import { defaultSweepSettings, SweepSettings } from "@berth/core"
import { Effect, Layer } from "effect"
import { positiveInt } from "./PositiveInt.js"

export const settings: Effect.Effect<SweepSettingsValues> = Effect.all({
  activityRetentionDays: positiveInt("ACTIVITY_RETENTION_DAYS", defaultSweepSettings.activityRetentionDays),
  activityCleanupIntervalHours: positiveInt("ACTIVITY_CLEANUP_INTERVAL_HOURS", defaultSweepSettings.activityCleanupIntervalHours),
  remoteLivenessStaleAfterSeconds: positiveInt("REMOTE_LIVENESS_STALE_AFTER", defaultSweepSettings.remoteLivenessStaleAfterSeconds)
})

export const layer: Layer.Layer<SweepSettings> = Layer.effect(SweepSettings, settings)
