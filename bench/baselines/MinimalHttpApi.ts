/**
 * Baseline (c) of the ceiling bench: the smallest Effect `HttpApi` server, one endpoint (`GET /health` answering
 * `{"status":"ok"}` through a success schema), served by `HttpApiBuilder.serve()` on `NodeHttpServer` with no
 * middleware and no logger: the framework's ceiling, against which Berth's edge (middleware, guards, metrics, logging)
 * is judged. Same `@effect/platform` versions as Berth. Run: `node --import tsx MinimalHttpApi.ts` with `PORT`.
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Schema } from "effect"
import { createServer } from "node:http"

const Api = HttpApi.make("ceiling").add(
  HttpApiGroup.make("system").add(HttpApiEndpoint.get("health", "/health").addSuccess(Schema.Struct({ status: Schema.Literal("ok") })))
)

const SystemLive = HttpApiBuilder.group(Api, "system", (handlers) => handlers.handle("health", () => Effect.succeed({ status: "ok" as const })))

const ServerLive = HttpApiBuilder.serve().pipe(
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(SystemLive))),
  Layer.provide(NodeHttpServer.layer(createServer, { port: Number(process.env["PORT"]), host: "127.0.0.1" }))
)

NodeRuntime.runMain(Layer.launch(ServerLive))
