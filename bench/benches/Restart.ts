/**
 * Restart answer latency while the CP stop takes 10 s (issue 9, item 5). The server runs in SaaS mode against a
 * loopback CP (`CpServer`, in this process) whose every stop answers after 10 s. `workspaces` workspaces are created
 * through the API (the CP provisions each), then each is restarted on a fixed period from a random phase (open loop)
 * with the admin bearer and the org header; every restart forks a cycle that waits 10 s on its stop, so the answers
 * are measured while dozens of stops hang. Baseline: `GET /health` in the same pattern on the same server.
 */
import { CpServer } from "@berth/adapters/testing"
import { Effect } from "effect"
import { encodeRequest, HttpConnection } from "../load/HttpConnection.js"
import * as Load from "../load/Load.js"
import * as BerthServer from "../lib/BerthServer.js"
import { freshDatabase } from "../lib/Postgres.js"
import type { Section } from "../lib/Report.js"
import { loadHeader, loadRow, ms, num, table } from "../lib/Report.js"
import { CommandFailed } from "../lib/Shell.js"

export interface RestartOptions {
  readonly workspaces: number
  readonly periodSeconds: number
  readonly seconds: number
}

export const defaults: RestartOptions = { workspaces: 50, periodSeconds: 2.5, seconds: 30 }

const org = "bench-org"
const admin = "bench-admin-token"
const headers = { Authorization: `Bearer ${admin}`, "X-Molecule-Org-Id": org }

/** Creates `count` container workspaces through `POST /workspaces`; their ids. */
const createWorkspaces = (port: number, count: number) =>
  Effect.tryPromise({
    try: async () => {
      const connection = new HttpConnection(port)
      const ids: Array<string> = []
      for (let i = 0; i < count; i++) {
        const answer = await connection.send(encodeRequest("POST", "/workspaces", { headers, body: JSON.stringify({ name: `restart-${i}`, tier: 2 }) }))
        if (answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.body.toString("utf8")}`)
        ids.push((JSON.parse(answer.body.toString("utf8")) as { readonly id: string }).id)
      }
      connection.close()
      return ids
    },
    catch: (cause) => new CommandFailed({ command: "create workspaces", output: String(cause) })
  })

export const run = (options: RestartOptions = defaults) =>
  Effect.scoped(Effect.gen(function* () {
    const cp = yield* CpServer.make
    const db = yield* freshDatabase("berth_bench_restart")
    const server = yield* BerthServer.start("restart", {
      DATABASE_URL: db.url,
      MOLECULE_ORG_ID: org,
      CP_PROVISION_URL: cp.url,
      MOLECULE_CP_SHARED_SECRET: "bench-shared-secret",
      ADMIN_TOKEN: admin,
      // 20 restarts/s from one address would trip the default 600/min per-IP limit (§4): measure the handler, not the 429
      RATE_LIMIT: "0"
    })
    const ids = yield* createWorkspaces(server.port, options.workspaces)
    yield* cp.awaitRequests(options.workspaces, "provision").pipe(Effect.timeout("60 seconds"))
    yield* cp.answer("stop", CpServer.respond(200, {}, { delay: "10 seconds" }))
    const plan = (requests: ReadonlyArray<string>, seconds: number): Load.Plan => ({
      kind: "open", port: server.port, requests, periodMs: options.periodSeconds * 1000, durationMs: seconds * 1000
    })
    const restarts = yield* Load.run(plan(ids.map((id) => encodeRequest("POST", `/workspaces/${id}/restart`, { headers }).toString("latin1")), options.seconds))
    const stopsSeen = (yield* cp.requests("stop")).length
    const health = encodeRequest("GET", "/health").toString("latin1")
    const baseline = yield* Load.run(plan(ids.map(() => health), options.seconds / 2))
    return section(options, restarts, baseline, stopsSeen)
  }))

const section = (options: RestartOptions, restarts: Load.LoadResult, health: Load.LoadResult, stops: number): Section => {
  const p99 = restarts.latency.p99Ms
  return {
    title: "Restart answer latency while the CP stop takes 10 s (item 5)",
    body: [
      `${options.workspaces} workspaces created through the API in SaaS mode, each restarted every ` +
      `${options.periodSeconds} s from a random phase for ${options.seconds} s (open loop, latency from the scheduled ` +
      `send time). The loopback CP answers every stop after 10 s: it received ${num(stops)} stops while the restarts ` +
      "were answered (a restart during a running cycle coalesces into one follow-up). Baseline: `GET /health` in the " +
      "same pattern for half as long.",
      "",
      table(loadHeader, [
        loadRow("POST /workspaces/:id/restart", restarts),
        loadRow("GET /health (baseline)", health)
      ])
    ].join("\n"),
    aims: [{
      what: "restart answer p99 while CP stops take 10 s",
      aim: "< 50 ms",
      measured: `${ms(p99)} (/health p99 ${ms(health.latency.p99Ms)})`,
      met: p99 < 50,
      ...(p99 < 50 ? {} : { note: `missed by ${ms(p99 - 50)}` })
    }]
  }
}
