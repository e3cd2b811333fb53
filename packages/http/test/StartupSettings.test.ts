/**
 * The settings main reads once at start and hands to core as values (issue 16 point 5): the contract's names and
 * defaults, and today's warning for an unusable number.
 */
import { LogCapture } from "@berth/adapters/testing"
import { defaultSweepSettings } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as ProvisionConfig from "../src/config/ProvisionConfig.js"
import * as SweepConfig from "../src/config/SweepConfig.js"

const withEnv = (env: Record<string, string>) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("settings read at start", () => {
  it.effect("ProvisionSettings: PLATFORM_URL, else host.docker.internal on the listen port; the timeout override as written", () =>
    Effect.gen(function* () {
      expect(yield* ProvisionConfig.settings(9090).pipe(withEnv({})))
        .toEqual({ platformUrl: "http://host.docker.internal:9090", provisionTimeoutSeconds: "" })
      expect(yield* ProvisionConfig.settings(9090).pipe(withEnv({ PLATFORM_URL: " http://berth:8080 ", PROVISION_TIMEOUT_SECONDS: " 120 " })))
        .toEqual({ platformUrl: "http://berth:8080", provisionTimeoutSeconds: "120" })
    }))

  it.live("SweepSettings: the contract's defaults; an unusable number warns and keeps its default", () =>
    Effect.gen(function* () {
      expect(yield* SweepConfig.settings.pipe(withEnv({}))).toEqual(defaultSweepSettings)
      const capture = LogCapture.logCapture()
      const read = yield* SweepConfig.settings.pipe(
        withEnv({
          ACTIVITY_RETENTION_DAYS: "30", ACTIVITY_CLEANUP_INTERVAL_HOURS: "1e3", REMOTE_LIVENESS_STALE_AFTER: "45",
          HIBERNATION_IDLE_MINUTES: "20"
        }),
        Effect.provide(capture.layer)
      )
      expect(read).toEqual({
        activityRetentionDays: 30, activityCleanupIntervalHours: 6, remoteLivenessStaleAfterSeconds: 45, hibernationIdleMinutes: 20
      })
      expect(capture.lines.filter((l) => l.level === "WARN").map((l) => l.text))
        .toEqual(['ACTIVITY_CLEANUP_INTERVAL_HOURS="1e3" is not a positive integer, using 6'])
    }))
})
