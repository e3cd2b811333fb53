/**
 * Provision-timeout sweeper (contract §7.5): `provisioning` rows older than their resolved deadline become `failed`.
 * The deadline comes from `ProvisionTimeout.resolve` over the template catalogue, the same resolver the API uses.
 */
import { Duration, Effect } from "effect"
import * as Transitions from "../domain/Transitions.js"
import { ProvisionSettings } from "../lifecycle/ProvisionSettings.js"
import { EventBus } from "../ports/EventBus.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { SweepCandidates } from "../ports/SweepCandidates.js"
import { templateTimeouts } from "../lifecycle/ProvisionDeadline.js"
import * as ProvisionTimeout from "../domain/ProvisionTimeout.js"

export const TIMEOUT_MESSAGE =
  "provisioning timed out — container started but never called /registry/register. Check container logs and network connectivity to the platform."

export const pass = Effect.gen(function* () {
  const candidates = yield* SweepCandidates
  const statusWrites = yield* StatusWrites
  const bus = yield* EventBus
  const rows = yield* candidates.provisioningRows
  if (rows.length === 0) return
  const envRaw = (yield* ProvisionSettings).provisionTimeoutSeconds
  const templates = yield* templateTimeouts
  const warned = new Set<string>()
  for (const row of rows) {
    const resolved = ProvisionTimeout.resolve(envRaw, row.runtime, templates)
    for (const reason of resolved.ignored) {
      if (warned.has(reason)) continue
      warned.add(reason)
      yield* Effect.logWarning(`Provision-timeout sweep: ${reason}, ignored`)
    }
    const secs = Duration.toSeconds(resolved.duration)
    if (row.ageSeconds <= secs) continue
    const recorded = yield* statusWrites.transition({
      id: row.id,
      row: Transitions.provisionTimedOut,
      input: { error: TIMEOUT_MESSAGE, timeoutSecs: secs, runtime: row.runtime },
      // Age again in the write: a restart since the read started a fresh deadline (§7.5).
      olderThanSeconds: secs,
      set: { lastSampleError: TIMEOUT_MESSAGE }
    })
    // None: the row left `provisioning` meanwhile (raced), skip.
    if (recorded._tag === "None") continue
    yield* Effect.logWarning(
      `Provision-timeout sweep: ${row.id} (runtime="${row.runtime}") stuck in provisioning > ${Duration.format(resolved.duration)} — marked failed`
    )
    yield* bus.publish(recorded.value)
  }
})
