import { describe, expect, it } from "@effect/vitest"
import * as Transitions from "../src/domain/Transitions.js"
import { eventSources, recordedEventTypes } from "../src/domain/Events.js"
import { isStatus, statuses, terminal } from "../src/domain/WorkspaceStatus.js"

const all = [...Transitions.rows, ...Transitions.sweeps]
const beat: Transitions.BeatSample = { errorRate: 0.7, sampleError: "boom" }

describe("the transition table (§2.3)", () => {
  it("every row's from and to are core statuses, and no row leaves removed", () => {
    for (const row of all) {
      expect(isStatus(row.to), row.name).toBe(true)
      for (const from of row.from) expect(isStatus(from), `${row.name} from ${from}`).toBe(true)
      expect(row.from, row.name).not.toContain(terminal)
    }
    expect(Transitions.anyButRemoved).toEqual(statuses.filter((s) => s !== "removed"))
  })

  it("names are unique and every exported row is listed in the table", () => {
    const names = all.map((row) => row.name)
    expect(new Set(names).size).toBe(names.length)
    const exported = Object.entries(Transitions).flatMap(([key, value]) =>
      typeof value === "object" && value !== null && "to" in value && "from" in value ? [key] : [])
    expect(exported.sort()).toEqual([...names].sort())
  })

  it("every row records a recorded event type with one of the contract's sources (§6)", () => {
    for (const row of all) {
      expect(recordedEventTypes, row.name).toContain(row.event)
      expect(eventSources, row.name).toContain(row.source)
    }
  })

  it("only create starts from no row; only delete ends in removed", () => {
    expect(all.filter((row) => row.from.length === 0).map((row) => row.name)).toEqual(["created"])
    expect(all.filter((row) => row.to === terminal).map((row) => row.name)).toEqual(["deleted"])
  })

  it("answers when a workspace becomes online", () => {
    expect(all.filter((row) => row.to === "online").map((row) => `${row.name} ${row.source}`)).toEqual([
      "registered register", "externalOnline create", "heartbeatRecovered heartbeat", "heartbeatBack heartbeat",
      "heartbeatFromProvisioning heartbeat", "heartbeatFromAwaiting heartbeat", "hibernateFailedOnline hibernate",
      "idleHibernateFailedOnline idle_sweep"
    ])
  })

  it("only the hibernation rows leave hibernating, and only its claim enters it (§2.4)", () => {
    expect(all.filter((row) => row.from.includes("hibernating") && row.from.length === 1).map((row) => row.name)).toEqual([
      "hibernated", "hibernateFailedOnline", "hibernateFailedDegraded",
      "idleHibernated", "idleHibernateFailedOnline", "idleHibernateFailedDegraded"
    ])
    expect(all.filter((row) => row.to === "hibernating").map((row) => [row.name, row.from])).toEqual([
      ["hibernateClaimed", ["online", "degraded"]], ["idleOnline", ["online"]], ["idleDegraded", ["degraded"]]
    ])
    expect(all.filter((row) => row.source === "wake").map((row) => [row.from, row.to])).toEqual([[["hibernated"], "provisioning"]])
  })

  it("no sweep row reads a workload stopped on purpose as gone (§2.4)", () => {
    for (const s of Transitions.stoppedOnPurpose) expect(Transitions.containerGone.from).not.toContain(s)
  })

  it("the heartbeat's outcomes (§5.11 rule 3) are rows, each leaving exactly one status", () => {
    const heartbeat = Transitions.rows.filter((row) => row.source === "heartbeat")
    expect(heartbeat.map((row) => `${row.from.join("|")}→${row.to}`)).toEqual([
      "online→degraded", "online→degraded", "degraded→online", "offline→online", "provisioning→online", "awaiting_agent→online"
    ])
  })

  it("sweep rows keep external workspaces out of container sweeps and scope the remote pass to them (§2.2, §7)", () => {
    expect(Transitions.sweeps.map((s) => [s.name, s.from, s.to, s.runtimes, s.clock])).toEqual([
      ["remoteStale", ["online", "degraded"], "awaiting_agent", "external", "lastHeartbeatOrUpdated"],
      ["livenessOffline", ["online", "degraded"], "offline", "containers", "lastHeartbeat"],
      ["idleOnline", ["online"], "hibernating", "containers", "idleSince"],
      ["idleDegraded", ["degraded"], "hibernating", "containers", "idleSince"]
    ])
  })
})

describe("events the rows record (§6)", () => {
  it.each([
    ["created", Transitions.eventFor(Transitions.created, { name: "w", tier: 3, runtime: "claude-code" }),
      { type: "WORKSPACE_PROVISIONING", payload: { name: "w", tier: 3, runtime: "claude-code", source: "create" } }],
    ["registered", Transitions.eventFor(Transitions.registered, { url: "http://a", agentCard: { n: 1 }, deliveryMode: "push" }),
      { type: "WORKSPACE_ONLINE", payload: { url: "http://a", agent_card: { n: 1 }, delivery_mode: "push", source: "register" } }],
    ["externalAwaiting", Transitions.eventFor(Transitions.externalAwaiting, { name: "ext" }),
      { type: "WORKSPACE_AWAITING_AGENT", payload: { name: "ext", external: true, source: "create" } }],
    ["heartbeatWedged", Transitions.eventFor(Transitions.heartbeatWedged, beat),
      { type: "WORKSPACE_DEGRADED", payload: { runtime_state: "wedged", sample_error: "boom", source: "heartbeat" } }],
    ["heartbeatErrorRate", Transitions.eventFor(Transitions.heartbeatErrorRate, beat),
      { type: "WORKSPACE_DEGRADED", payload: { error_rate: 0.7, sample_error: "boom", source: "heartbeat" } }],
    ["heartbeatFromAwaiting", Transitions.eventFor(Transitions.heartbeatFromAwaiting, beat),
      { type: "WORKSPACE_ONLINE", payload: { recovered_from: "awaiting_agent", source: "heartbeat" } }],
    ["autoRestart", Transitions.eventFor(Transitions.autoRestart, { name: "w", tier: 2, runtime: "hermes" }),
      { type: "WORKSPACE_PROVISIONING", payload: { name: "w", tier: 2, runtime: "hermes", source: "auto_restart" } }],
    ["paused", Transitions.eventFor(Transitions.paused, { name: "w", tier: 2 }),
      { type: "WORKSPACE_PAUSED", payload: { name: "w", source: "pause" } }],
    ["hibernated", Transitions.eventFor(Transitions.hibernated, { name: "w", tier: 2 }),
      { type: "WORKSPACE_HIBERNATED", payload: { name: "w", tier: 2, source: "hibernate" } }],
    ["hibernateFailedDegraded", Transitions.eventFor(Transitions.hibernateFailedDegraded, { name: "w", error: "stop failed" }),
      { type: "WORKSPACE_HIBERNATE_FAILED", payload: { name: "w", error: "stop failed", restored_status: "degraded", source: "hibernate" } }],
    ["woken", Transitions.eventFor(Transitions.woken, { name: "w", tier: 2, runtime: "hermes" }),
      { type: "WORKSPACE_PROVISIONING", payload: { name: "w", tier: 2, runtime: "hermes", source: "wake" } }],
    ["provisionFailed", Transitions.eventFor(Transitions.provisionFailed, { error: "no image", extra: { image: "x" } }),
      { type: "WORKSPACE_PROVISION_FAILED", payload: { image: "x", error: "no image", source: "provision" } }],
    ["provisionTimedOut", Transitions.eventFor(Transitions.provisionTimedOut, { error: "late", timeoutSecs: 600, runtime: "hermes" }),
      { type: "WORKSPACE_PROVISION_FAILED", payload: { error: "late", timeout_secs: 600, runtime: "hermes", source: "provision_timeout_sweep" } }],
    ["bootstrapFailed", Transitions.eventFor(Transitions.bootstrapFailed, { error: "e", logTail: "t" }),
      { type: "WORKSPACE_PROVISION_FAILED", payload: { error: "e", log_tail: "t", source: "bootstrap_watcher" } }],
    ["containerGone", Transitions.eventFor(Transitions.containerGone, undefined),
      { type: "WORKSPACE_OFFLINE", payload: { source: "health_sweep" } }],
    ["deleted", Transitions.eventFor(Transitions.deleted, { cascadeDeleted: 2 }),
      { type: "WORKSPACE_REMOVED", payload: { cascade_deleted: 2, source: "delete" } }],
    ["deleted (a descendant)", Transitions.eventFor(Transitions.deleted, {}), { type: "WORKSPACE_REMOVED", payload: { source: "delete" } }]
  ])("%s", (_name, recorded, expected) => {
    expect(recorded).toEqual(expected)
  })

  it("a row's payload cannot override its source", () => {
    const sneaky: Transitions.RowTransition = { ...Transitions.containerGone, payload: () => ({ source: "liveness" }) }
    expect(Transitions.eventFor(sneaky, undefined).payload).toEqual({ source: "health_sweep" })
  })
})
