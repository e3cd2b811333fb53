/**
 * `/metrics` (§5.1) for the workspace routes: request counters by route template, `berth_workspaces{status}` equal to
 * the stored rows, `berth_heartbeat_duration_seconds`, and `berth_sweep_duration_seconds{loop}` from the timed
 * leadership the loops run under (`SweepMetrics.timedLeadership`, as `main` composes them).
 */
import { LeadershipLocks } from "@berth/adapters"
import { describe, expect, it, layer } from "@effect/vitest"
import { HealthSweep, Leadership, SweepMetrics, WorkspaceStatus, WorkspaceStore } from "@berth/core"
import { Effect, Layer } from "effect"
import { admin, adminSettings, operator } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import * as PromText from "./support/PromText.js"
import { send, testServer } from "./support/TestServer.js"
import * as HttpMetrics from "../src/edge/HttpMetrics.js"

const scrape = Effect.map(send("GET", "/metrics"), (a) => a.text)
const timedPass = (loop: string) =>
  Effect.flatMap(Leadership, (l) => l.runAsLeader(loop, HealthSweep.remotePass)).pipe(
    Effect.provide(SweepMetrics.timedLeadership.pipe(Layer.provide(LeadershipLocks.layerLocal)))
  )
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

describe("/metrics for the workspace routes (§5.1)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("route templates, workspaces by status, heartbeat and sweep durations", () =>
      Effect.gen(function* () {
        const api = yield* operator
        const ext = yield* api.workspaces.create({ payload: { name: "m-ext", external: true }, headers: {} })
        yield* api.workspaces.create({ payload: { name: "m-container" }, headers: {} })
        const headers = bearer(admin)
        yield* send("GET", `/workspaces/${ext.id}`)
        yield* send("DELETE", `/workspaces/${ext.id}/secrets/NOPE`, { headers })
        yield* send("GET", `/workspaces/${ext.id}/terminal/diagnose`, { headers })
        yield* send("POST", `/workspaces/${ext.id}/restart`, { headers })
        // one timed pass, as the loops run it
        yield* timedPass("health_sweep")
        const token = ext.status === "awaiting_agent" ? ext.connection.auth_token : ""
        const beat = yield* send("POST", "/registry/heartbeat", { body: JSON.stringify({ workspace_id: ext.id }), headers: bearer(token) })
        expect(beat.status).toBe(200)
        // a second loop's first pass after the heartbeat histogram exists (the provision-timeout sweep a minute in)
        yield* timedPass("provision_timeout")

        const text = yield* scrape
        for (const [method, path, status] of [
          ["POST", "/workspaces", 201], ["GET", "/workspaces/:id", 200], ["DELETE", "/workspaces/:id/secrets/:key", 404],
          ["GET", "/workspaces/:id/terminal/diagnose", 200], ["POST", "/workspaces/:id/restart", 200]
        ] as const) {
          expect(text).toMatch(new RegExp(`molecule_http_requests_total\\{method="${method}",path="${escaped(path)}",status="${status}"\\} \\d+`))
          expect(text).toMatch(new RegExp(`molecule_http_request_duration_seconds_total\\{method="${method}",path="${escaped(path)}",status="${status}"\\} `))
        }
        expect(text).not.toContain(ext.id)
        const counts = new Map((yield* Effect.flatMap(WorkspaceStore, (r) => r.countByStatus)).map((c) => [c.status, c.count]))
        for (const status of WorkspaceStatus.statuses) {
          expect(text).toContain(`berth_workspaces{status="${status}"} ${counts.get(status) ?? 0}\n`)
        }
        expect(counts.get("failed")).toBeGreaterThanOrEqual(1)
        expect(text).toMatch(/berth_heartbeat_duration_seconds_count \d+/)
        expect(text).toContain("# TYPE berth_sweep_duration_seconds histogram")
        expect(text).toMatch(/berth_sweep_duration_seconds_bucket\{loop="health_sweep",le="0\.001"\} \d+/)
        expect(text).toMatch(/berth_sweep_duration_seconds_count\{loop="health_sweep"\} [1-9]\d*/)

        const report = yield* PromText.parse(text)
        expect(report.problems).toEqual([])
        const types = new Map(report.families.map((f) => [f.name, f.type]))
        for (const [name, type] of [
          ["molecule_http_requests", "counter"], ["berth_workspaces", "gauge"],
          ["berth_heartbeat_duration_seconds", "histogram"], ["berth_sweep_duration_seconds", "histogram"]
        ]) expect(types.get(name)).toBe(type)
      }))
  })
})

describe("Prometheus text values", () => {
  it("sums print without binary float artefacts, infinities as the format spells them", () => {
    expect(HttpMetrics.formatValue(0.1 + 0.2)).toBe("0.3")
    expect(HttpMetrics.formatValue(0.08399999999999999)).toBe("0.084")
    expect(HttpMetrics.formatValue(12)).toBe("12")
    expect(HttpMetrics.formatValue(Infinity)).toBe("+Inf")
  })

  it.effect("the real parser flags a split family, a missing HELP and a float artefact", () =>
    Effect.gen(function* () {
      const report = yield* PromText.parse([
        "# HELP a A.", "# TYPE a gauge", "a 1", "# TYPE b gauge", "b 0.08399999999999999", "a{x=\"y\"} 2", ""
      ].join("\n"))
      expect([...report.problems].sort()).toEqual([
        "family a is split into more than one block",
        "family a has no TYPE line (or its samples are outside its block)",
        "family b has no HELP line",
        "family a has no HELP line",
        "float artefact in: b 0.08399999999999999"
      ].sort())
    }))
})
