/**
 * Example (a): an Effect program that embeds Berth with `Berth.layer` and serves its own route over Berth's core
 * services (no Berth HTTP at all): `GET /my/agents` lists the workspaces. Creates one in-process, then asserts that
 * the route sees it. DATABASE_URL set → Postgres, else an in-memory PGlite.
 */
import assert from "node:assert/strict"
import { createServer } from "node:http"
import { HttpClient, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Berth, Workspaces } from "@berth/http/embed"
import { Effect, Layer } from "effect"

const database = process.env["DATABASE_URL"] ? { postgresUrl: process.env["DATABASE_URL"] } : { dataDir: "memory://" }

/** The host's own route, calling Berth's `Workspaces` service directly. */
const MyRoutes = HttpRouter.empty.pipe(
  HttpRouter.get("/my/agents", Effect.gen(function* () {
    const views = yield* (yield* Workspaces).list()
    return yield* HttpServerResponse.json(views.map((v) => ({ id: v.workspace.id, name: v.workspace.name, status: v.workspace.status })))
  }).pipe(Effect.orDie))
)

const ServerLive = HttpServer.serve(MyRoutes).pipe(
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(Berth.layer({ database, backgroundLoops: false }))
)

const program = Effect.gen(function* () {
  const workspaces = yield* Workspaces
  const created = yield* workspaces.create({ name: "Host Agent", external: true }, {
    idempotencyKey: undefined, fingerprint: "host-agent", platformUrl: "https://example.test"
  })
  const address = (yield* HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("not a TCP listener")
  const listed = yield* HttpClient.get(`http://127.0.0.1:${address.port}/my/agents`).pipe(Effect.flatMap((r) => r.json))
  assert.ok((listed as Array<{ id: string }>).some((a) => a.id === created.id), "the host's route lists the new workspace")
  yield* Effect.log(`effect-host: ${created.id} created in-process and listed by the host's own route`)
})

program.pipe(
  Effect.provide(Layer.merge(ServerLive, NodeHttpClient.layer)),
  NodeRuntime.runMain
)
