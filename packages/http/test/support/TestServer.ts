/**
 * A real Berth HTTP server for tests: the production `HttpLive` on a Node listener at 127.0.0.1 (random port,
 * production's listener with its JSON `clientError` answers, and an `HttpClient` aimed at it, like
 * `NodeHttpServer.layerTest`) over an in-memory PGlite database.
 * Build it once per test file (`it.layer`): PGlite costs seconds to start.
 */
import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import type { HttpClientResponse } from "@effect/platform"
import { NodeFileSystem, NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { HostResolverNode, HttpAgentTransport, Persistence, SecretCipher, TemplateCatalogueFs } from "@berth/adapters"
import { fileURLToPath } from "node:url"
import type { AgentUrl } from "@berth/core"
import { InboundSecretCache, Runtime } from "@berth/core"
import { Effect, Layer } from "effect"
import * as Backend from "../../src/Backend.js"
import { createJsonServer } from "../../src/edge/ClientErrors.js"
import * as EdgeConfig from "../../src/edge/EdgeConfig.js"
import { HttpLive } from "../../src/Server.js"

/** `NodeHttpServer.layerTest` with production's listener (`createJsonServer`). */
export const jsonListenerTest = HttpServer.layerTestClient.pipe(
  Layer.provide(NodeHttpClient.layerWithoutAgent),
  Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: false })),
  Layer.provideMerge(NodeHttpServer.layer(createJsonServer, { port: 0 }))
)

export const persistence = Persistence.layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(undefined))
)

/** `CONFIGS_DIR` of the tests: a full template, a bare one and one that fails to parse. */
export const templatesDir = fileURLToPath(new URL("../fixtures/templates", import.meta.url))

/**
 * The backend of external-only mode (§1), as `main` composes it without Docker or CP: no provisioner, the real
 * workspace lifecycle over it (container work fails with the no-backend reason), the probe that reports no CP.
 */
export const externalOnlyBackend = Backend.backendOver(Backend.none)

/** What a backend gives the server: the provisioner, the lifecycle with its auto-restart, the remote probe. */
export type BackendServices = Layer.Layer.Success<typeof externalOnlyBackend>

/** The server over `backend` (e.g. the CP provisioner against a loopback CP), `database` and the edge settings. */
export const testServerOver = <E, R>(
  backend: Layer.Layer<BackendServices, E, R>,
  settings: Partial<EdgeConfig.EdgeSettings> = {},
  database: typeof persistence = persistence
) =>
  HttpLive.pipe(
    Layer.provide(EdgeConfig.layerWith(settings)),
    Layer.provide(backend),
    Layer.provide(Layer.mergeAll(
      HostResolverNode.layer,
      HttpAgentTransport.layer,
      TemplateCatalogueFs.layer(templatesDir).pipe(Layer.provide(NodeFileSystem.layer)),
      Layer.succeed(Runtime.RuntimeAllowlist, Runtime.fallbackAllowlist)
    )),
    Layer.provideMerge(InboundSecretCache.Default),
    Layer.provideMerge(jsonListenerTest),
    Layer.provideMerge(database)
  )

/** The server in external-only mode with the given edge settings; exposes the HttpClient and the persistence services. */
export const testServer = (settings: Partial<EdgeConfig.EdgeSettings> = {}, database: typeof persistence = persistence) =>
  testServerOver(externalOnlyBackend, settings, database)

export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

const read = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.text, (text): Answer => ({ status: response.status, headers: response.headers, text }))

/** One raw request (no status filtering): what a non-Effect client would see. */
export const send = (
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS",
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: string } = {}
) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(path)
    if (options.body !== undefined) request = HttpClientRequest.bodyText(request, options.body, "application/json")
    // after the body, so a test can send another Content-Type
    request = HttpClientRequest.setHeaders(request, options.headers ?? {})
    return yield* Effect.flatMap(client.execute(request), read)
  }).pipe(Effect.scoped)

/** The body parsed as JSON. */
export const json = (answer: Answer): unknown => JSON.parse(answer.text)

/** Named so the inferred server types stay portable. */
export type Resolver = AgentUrl.HostResolver

/** What a test under `layer(testServer(…))` can use: the HttpClient, the server and the persistence services. */
export type TestServices = Layer.Layer.Success<ReturnType<typeof testServer>>
