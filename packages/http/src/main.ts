#!/usr/bin/env node
/**
 * Entry point of the `berth` command and the ONE place where production layers are composed: persistence
 * (Postgres when DATABASE_URL is set, else embedded PGlite; the event bus and leadership matching it), the
 * provisioner chosen at start (§1), the HTTP server on PORT, the logger, and the settings core is handed as values.
 * A start-up failure is logged as one line naming its setting (`StartupProblem`). NodeRuntime.runMain turns
 * SIGINT/SIGTERM into interruption, so finalizers close the listener, the pool or PGlite, and every fiber.
 */
import type { FileSystem } from "@effect/platform"
import { FetchHttpClient, HttpServer } from "@effect/platform"
import { NodeContext, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { HostResolverNode, ManifestFs, Migrations, Persistence, TemplateCatalogueFs } from "@berth/adapters"
import { InboundSecretCache, Loops, SweepMetrics } from "@berth/core"
import { Console, Effect, Layer } from "effect"
import { BackendLive } from "./Backend.js"
import * as Cli from "./Cli.js"
import * as ListenConfig from "./config/ListenConfig.js"
import * as ProvisionConfig from "./config/ProvisionConfig.js"
import * as SweepConfig from "./config/SweepConfig.js"
import { createJsonServer } from "./edge/ClientErrors.js"
import * as EdgeConfig from "./edge/EdgeConfig.js"
import * as Logging from "./Logging.js"
import * as PortProbe from "./startup/PortProbe.js"
import * as StartupProblem from "./startup/StartupProblem.js"
import { HttpLive } from "./Server.js"

/** The listener on `port`; a failed listen is told as the `PORT` problem it is. */
const listenerOn = (port: number) =>
  Layer.mapError(NodeHttpServer.layer(createJsonServer, { port }), (e) => StartupProblem.listenFailed(port, e))

const serverOn = (port: number) =>
  HttpLive.pipe(HttpServer.withLogAddress, Layer.provide(listenerOn(port)), Layer.provide(EdgeConfig.layer))

// The HTTP server and the background loops (§7; each pass timed for /metrics) over one persistence, one backend
// choice and one inbound-secret cache (the server reads it, the lifecycle writes through it). Every setting core
// uses is read here, once, and handed to it as values (`ProvisionSettings`, `SweepSettings`).
const ServeLive = Layer.unwrapEffect(Effect.map(Effect.tap(ListenConfig.port, PortProbe.probe), (port) =>
  Layer.mergeAll(serverOn(port), Loops.layer.pipe(Layer.provide(SweepMetrics.timedLeadership))).pipe(
    Layer.provide(BackendLive),
    Layer.provide(Layer.mergeAll(TemplateCatalogueFs.layerConfig, HostResolverNode.layer, ManifestFs.layer, InboundSecretCache.Default)),
    Layer.provide(Persistence.PersistenceLive),
    Layer.provide(Layer.merge(ProvisionConfig.layer(port), SweepConfig.layer))
  )))

// `serve` reads templates through the platform's FileSystem, which NodeContext provides below.
const programs: Cli.Programs<FileSystem.FileSystem> = {
  serve: Layer.launch(ServeLive),
  migrate: Effect.flatMap(Migrations.migrateFromEnv, (applied) =>
    Console.log(applied.length === 0
      ? "migrations: database is up to date"
      : `migrations: applied ${applied.map(([id, name]) => `${id}_${name}`).join(", ")}`))
}

Cli.make(programs)(process.argv).pipe(
  Effect.flatMap((code) => Effect.sync(() => { process.exitCode = code })),
  StartupProblem.reported,
  Effect.provide(FetchHttpClient.layer),
  Effect.provide(NodeContext.layer),
  Effect.provide(Logging.layer),
  // The logger is Logging.layer's choice and `reported` logs failures in it; runMain's own pretty logger and error
  // report would print every line twice.
  NodeRuntime.runMain({ disablePrettyLogger: true, disableErrorReporting: true })
)
