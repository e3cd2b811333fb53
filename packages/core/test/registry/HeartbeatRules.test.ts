import { describe, expect, it } from "@effect/vitest"
import { Transitions } from "@berth/core"
import { changeFor } from "../../src/registry/HeartbeatRules.js"
import type { WorkspaceStatus } from "../../src/domain/WorkspaceStatus.js"
import { statuses } from "../../src/domain/WorkspaceStatus.js"

const beat = { errorRate: 0, sampleError: null, wedged: false, statusMgmt: false }

describe("heartbeat status transitions (§5.11 rule 3, §2.3)", () => {
  it("recovery to online with the contract's payloads", () => {
    expect(changeFor("offline", beat)).toMatchObject({ to: "online", type: "WORKSPACE_ONLINE", payload: {} })
    expect(changeFor("provisioning", beat)).toMatchObject({ to: "online", payload: { recovered_from: "provisioning" } })
    expect(changeFor("awaiting_agent", beat)).toMatchObject({ to: "online", payload: { recovered_from: "awaiting_agent" } })
  })
  it("error rate thresholds: ≥ 0.5 degrades an online workspace, < 0.1 recovers a degraded one", () => {
    expect(changeFor("online", { ...beat, errorRate: 0.5, sampleError: "x" })).toMatchObject({
      to: "degraded", type: "WORKSPACE_DEGRADED", payload: { error_rate: 0.5, sample_error: "x" }
    })
    expect(changeFor("online", { ...beat, errorRate: 0.49 })).toBeUndefined()
    expect(changeFor("degraded", { ...beat, errorRate: 0.1 })).toBeUndefined()
    expect(changeFor("degraded", { ...beat, errorRate: 0.09 })).toMatchObject({ to: "online" })
  })
  it("wedged degrades an online workspace even under status_mgmt, and blocks recovery", () => {
    expect(changeFor("online", { ...beat, wedged: true, statusMgmt: true, sampleError: "s" })).toMatchObject({
      to: "degraded", payload: { runtime_state: "wedged", sample_error: "s" }
    })
    expect(changeFor("degraded", { ...beat, wedged: true })).toBeUndefined()
  })
  it("status_mgmt: the agent owns online/degraded", () => {
    expect(changeFor("online", { ...beat, errorRate: 0.9, statusMgmt: true })).toBeUndefined()
    expect(changeFor("degraded", { ...beat, statusMgmt: true })).toBeUndefined()
  })
  it("failed, paused and removed are not touched by a beat", () => {
    for (const status of ["failed", "paused", "removed"] as const) expect(changeFor(status, beat)).toBeUndefined()
  })
  // Every status against a healthy, an erroring (0.9) and a wedged beat: the status each ends in (null: untouched).
  const table: ReadonlyArray<readonly [WorkspaceStatus, WorkspaceStatus | null, WorkspaceStatus | null, WorkspaceStatus | null]> = [
    ["provisioning", "online", "online", "online"],
    ["online", null, "degraded", "degraded"],
    ["offline", "online", "online", "online"],
    ["degraded", "online", null, null],
    ["failed", null, null, null],
    ["removed", null, null, null],
    ["paused", null, null, null],
    ["hibernated", null, null, null],
    ["hibernating", null, null, null],
    ["awaiting_agent", "online", "online", "online"]
  ]
  it("the table covers every status", () => {
    expect(table.map(([status]) => status).sort()).toEqual([...statuses].sort())
  })
  it.each(table)("%s: healthy → %s, erroring → %s, wedged → %s", (status, healthy, erroring, wedged) => {
    const to = (b: typeof beat) => changeFor(status, b)?.to ?? null
    expect(to(beat)).toBe(healthy)
    expect(to({ ...beat, errorRate: 0.9 })).toBe(erroring)
    expect(to({ ...beat, wedged: true })).toBe(wedged)
    // a change always starts from the status the beat read
    for (const b of [beat, { ...beat, errorRate: 0.9 }, { ...beat, wedged: true }]) {
      const change = changeFor(status, b)
      if (change !== undefined) expect(change.from).toBe(status)
    }
  })
  it("every outcome is a row of the transition table, guarded on exactly the status the beat read", () => {
    const beats = [0, 0.05, 0.3, 0.5, 0.9].flatMap((errorRate) =>
      [false, true].flatMap((wedged) => [false, true].map((statusMgmt) => ({ ...beat, errorRate, wedged, statusMgmt, sampleError: "s" }))))
    const seen = new Set<string>()
    for (const status of statuses) {
      for (const b of beats) {
        const change = changeFor(status, b)
        if (change === undefined) continue
        expect(Transitions.rows).toContain(change.row)
        expect(change.row.from).toEqual([status])
        expect([change.to, change.type, change.payload]).toEqual([change.row.to, change.row.event, change.row.payload(b)])
        seen.add(change.row.name)
      }
    }
    expect([...seen].sort()).toEqual(Transitions.rows.filter((r) => r.source === "heartbeat").map((r) => r.name).sort())
  })
})
