/**
 * Berth replicas for the reliability suites: each is the production HTTP server (on 127.0.0.1, with an HttpClient aimed
 * at it) plus the background loops, over persistence of its own (pools, LISTEN connection, leadership locks) on a
 * shared Postgres database. The loops are the real supervised, leadership-guarded passes of §7, at test periods.
 */
import { NodeFileSystem } from "@effect/platform-node"
import type { Persistence } from "@berth/adapters"
import { TemplateCatalogueFs } from "@berth/adapters"
import type { BackgroundLoops as Loops } from "@berth/core"
import { BackgroundLoops, HealthSweep, InboundSecretCache, ProvisionTimeoutSweep } from "@berth/core"
import type { Context, Scope } from "effect"
import { Effect, Layer } from "effect"
import type * as EdgeConfig from "../../src/edge/EdgeConfig.js"
import { externalOnlyBackend, templatesDir, testServer } from "../support/TestServer.js"
import { postgres } from "./Databases.js"

type ReplicaLayer = Layer.Layer<
  Layer.Layer.Success<ReturnType<typeof testServer>>,
  Layer.Layer.Error<ReturnType<typeof testServer>>
>

/** A loop of §7 at a test period of 200 ms instead of 15–30 s. */
const fast = <R>(name: string, pass: Effect.Effect<void, unknown, R>): Loops.LoopSpec<R> =>
  ({ name, period: "200 millis", atStart: false, pass })

type LoopRequirements =
  | Effect.Effect.Context<typeof HealthSweep.pass>
  | Effect.Effect.Context<typeof HealthSweep.livenessPass>
  | Effect.Effect.Context<typeof ProvisionTimeoutSweep.pass>

/** The passes of every mode (the Docker and CP ones need a backend, which these replicas do not have). */
const loops = BackgroundLoops.layer<LoopRequirements>([
  fast("health_sweep", HealthSweep.pass),
  fast("liveness", HealthSweep.livenessPass),
  fast("provision_timeout_sweep", ProvisionTimeoutSweep.pass)
])

/** The layer of one replica in external-only mode: as `main` composes it, one backend under the server and the loops. */
export const replicaLayer = (
  url: string,
  settings: Partial<EdgeConfig.EdgeSettings>,
  options: Persistence.PersistenceOptions = {}
): ReplicaLayer => {
  const database = postgres(url, { pollInterval: "200 millis", leaderRetryInterval: "100 millis", ...options })
  const background = loops.pipe(
    Layer.provide(externalOnlyBackend),
    Layer.provide(Layer.mergeAll(TemplateCatalogueFs.layer(templatesDir).pipe(Layer.provide(NodeFileSystem.layer)), InboundSecretCache.Default)),
    Layer.provide(database)
  )
  return Layer.merge(testServer({ rateLimit: 0, ...settings }, database), background)
}

export type Replica = Context.Context<Layer.Layer.Success<ReplicaLayer>>

/** Starts a replica in the current scope (persistence `options` over the test ones); run requests and repository calls on it with `on(replica, effect)`. */
export const start = (
  url: string,
  settings: Partial<EdgeConfig.EdgeSettings> = {},
  options: Persistence.PersistenceOptions = {}
): Effect.Effect<Replica, Layer.Layer.Error<ReplicaLayer>, Scope.Scope> => Layer.build(replicaLayer(url, settings, options))

/** Runs `effect` against `replica` (its HttpClient, its repositories, its event bus). */
export const on = <A, E>(replica: Replica, effect: Effect.Effect<A, E, Layer.Layer.Success<ReplicaLayer>>) =>
  Effect.provide(effect, replica)
