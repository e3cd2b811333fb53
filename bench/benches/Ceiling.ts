/**
 * The ceilings of issue 21, measured in the same run as Berth with the same load generator and client count: a bare
 * `node:http` server (`GET /health`, and `POST /registry/heartbeat` answered from memory) and a minimal one-endpoint
 * `HttpApi` server (`baselines/`). Then Berth once under `--cpu-prof` per route (profile summaries), and the heartbeat
 * with `BERTH_WORKERS=2` when the server accepts it (detected: more processes than the one-worker server had).
 */
import { Effect } from "effect"
import { encodeRequest } from "../load/HttpConnection.js"
import { heartbeatRequest, insertExternalRows, register } from "../lib/Agents.js"
import * as BerthServer from "../lib/BerthServer.js"
import * as ChildServer from "../lib/ChildServer.js"
import type { Drivers } from "../lib/Drivers.js"
import { driversOf } from "../lib/Drivers.js"
import { freshDatabase, query } from "../lib/Postgres.js"
import type { ProfileSummary } from "../lib/Profile.js"
import { readSummary } from "../lib/Profile.js"
import type { Measured } from "./Heartbeat.js"
import { closedLoop, defaults as heartbeatDefaults, measured } from "./Heartbeat.js"

export const options = { ...heartbeatDefaults, workspaces: 1_000 }

export interface CeilingRun {
  readonly drivers: Drivers
  readonly health: { readonly berth: Measured; readonly bare: Measured; readonly httpApi: Measured }
  readonly heartbeat: { readonly berth: Measured; readonly bare: Measured }
  readonly profiles: { readonly health: ProfileSummary | undefined; readonly heartbeat: ProfileSummary | undefined }
  /** Undefined when the server does not accept `BERTH_WORKERS`; `processes` is what it ran as. */
  readonly workers: { readonly processes: number; readonly oneWorker: number; readonly twoWorkers: Measured | undefined }
}

const baseline = (name: string, script: string) =>
  ChildServer.start(name, { argv: ["--import", "tsx", `bench/baselines/${script}`], env: {} })

/** Berth under `--cpu-prof` for one load; the summary is read once the server stopped and wrote its profile. */
const profiled = (name: string, env: Readonly<Record<string, string>>, requests: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* Effect.scoped(Effect.flatMap(BerthServer.start(name, env, { profile: true }), (server) =>
      measured(server, closedLoop(server, requests, options))))
    return yield* Effect.orElseSucceed(Effect.tryPromise(() => readSummary(BerthServer.profilePath(name))), () => undefined)
  })

export const run = () =>
  Effect.scoped(Effect.gen(function* () {
    const db = yield* freshDatabase("berth_bench_ceiling")
    const env = { DATABASE_URL: db.url }
    const health = [encodeRequest("GET", "/health").toString("latin1")]
    const first = yield* Effect.scoped(Effect.gen(function* () {
      const berth = yield* BerthServer.start("ceiling-berth", env)
      yield* insertExternalRows(db.url, options.workspaces)
      const beats = (yield* register(berth.port, options.workspaces)).map(heartbeatRequest)
      yield* query(db.url, "VACUUM ANALYZE")
      const bare = yield* baseline("ceiling-bare", "BareHttp.ts")
      const httpApi = yield* baseline("ceiling-httpapi", "MinimalHttpApi.ts")
      yield* Effect.log("ceiling: GET /health on Berth, bare node:http, minimal HttpApi; then the heartbeat on Berth and bare")
      const load = (server: ChildServer.Server, requests: ReadonlyArray<string>) => measured(server, closedLoop(server, requests, options))
      return {
        beats,
        oneWorker: berth.processes,
        health: { berth: yield* load(berth, health), bare: yield* load(bare, health), httpApi: yield* load(httpApi, health) },
        heartbeat: { berth: yield* load(berth, beats), bare: yield* load(bare, beats) },
        drivers: yield* driversOf(berth.logPath)
      }
    }))
    yield* Effect.log("ceiling: Berth under --cpu-prof, GET /health then the heartbeat")
    const profiles = {
      health: yield* profiled("profile-health", env, health),
      heartbeat: yield* profiled("profile-heartbeat", env, first.beats)
    }
    const workers = yield* Effect.scoped(Effect.gen(function* () {
      const server = yield* BerthServer.start("ceiling-workers-2", { ...env, BERTH_WORKERS: "2" }, { expectProcesses: 3 })
      const accepted = server.processes > first.oneWorker
      yield* Effect.log(`ceiling: BERTH_WORKERS=2 ran as ${server.processes} process(es): ${accepted ? "measuring" : "not available"}`)
      return {
        processes: server.processes,
        oneWorker: first.oneWorker,
        twoWorkers: accepted ? yield* measured(server, closedLoop(server, first.beats, options)) : undefined
      }
    }))
    return { drivers: first.drivers, health: first.health, heartbeat: first.heartbeat, profiles, workers } satisfies CeilingRun
  }))
