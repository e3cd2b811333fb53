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
import { ManifestFs, Migrations, Persistence, TemplateCatalogueFs } from "@berth/adapters"
import { Console, Effect, Layer } from "effect"
import { BackendLive } from "./Backend.js"
import * as Cli from "./Cli.js"
import * as ListenConfig from "./config/ListenConfig.js"
import * as ProvisionConfig from "./config/ProvisionConfig.js"
import * as SweepConfig from "./config/SweepConfig.js"
import { createJsonServer } from "./edge/ClientErrors.js"
import * as EdgeConfig from "./edge/EdgeConfig.js"
import * as Composition from "./embed/Composition.js"
import * as Logging from "./Logging.js"
import * as PortProbe from "./startup/PortProbe.js"
import * as StartupProblem from "./startup/StartupProblem.js"
import { HttpLive } from "./Server.js"

/** The listener on `port`; a failed listen is told as the `PORT` problem it is. */
const listenerOn = (port: number) =>
  Layer.mapError(NodeHttpServer.layer(createJsonServer, { port }), (e) => StartupProblem.listenFailed(port, e))

const serverOn = (port: number) => HttpLive.pipe(HttpServer.withLogAddress, Layer.provide(listenerOn(port)))

// The HTTP server and the background loops (§7; each pass timed for /metrics) over one persistence, one backend
// choice and one inbound-secret cache (the server reads it, the lifecycle writes through it), composed by the same
// function embedders get through `Berth.layer`. Every setting core uses is read here, once, and handed to it as
// values (`ProvisionSettings`, `SweepSettings`).
const ServeLive = Layer.unwrapEffect(Effect.map(Effect.tap(ListenConfig.port, PortProbe.probe), (port) =>
  Composition.compose(serverOn(port), {
    persistence: Persistence.PersistenceLive,
    backend: BackendLive,
    templates: TemplateCatalogueFs.layerConfig,
    runtimes: ManifestFs.layer,
    edge: EdgeConfig.layer,
    settings: Layer.merge(ProvisionConfig.layer(port), SweepConfig.layer),
    loops: true
  })))

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
