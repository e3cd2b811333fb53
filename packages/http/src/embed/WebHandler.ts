/**
 * Berth as a web-standard handler, `(Request) => Promise<Response>`, for any Node server (node:http, Express,
 * Fastify, Hono…): the same app `berth serve` runs (edge chain §4, guards, wire errors, `/openapi.json`, `/docs`),
 * built from the same composition, mounted under `basePath`. A request outside the prefix answers the router's
 * `404 {"error":"not found"}`; inside it, the prefix is stripped before routing, and every URL Berth hands out
 * carries it (the §5.2 connection block; the OpenAPI document names it as its server). `GET /ws` needs a socket
 * upgrade, which a fetch handler cannot do: serve it with `berth serve`. `dispose()` closes the database, the loops
 * and every fiber.
 */
import { HttpApiBuilder, HttpApp } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { Persistence, SecretCipher } from "@berth/adapters"
import type { AgentUrl, Runtime } from "@berth/core"
import { Effect, Layer } from "effect"
import * as Logging from "../Logging.js"
import * as Server from "../Server.js"
import * as Berth from "./Berth.js"
import * as Composition from "./Composition.js"

export interface Options extends Berth.Config {
  /** The path prefix Berth is mounted under (`/berth`); default the root. */
  readonly basePath?: string
  /** The logger (a `Logger` layer); default `berth serve`'s (`BERTH_LOG_FORMAT`, `BERTH_LOG_LEVEL`). */
  readonly logger?: Layer.Layer<never>
}

export interface WebHandler {
  readonly handler: (request: Request) => Promise<Response>
  /** Stops Berth: the database, the loops, every fiber. The handler must not be called afterwards. */
  readonly dispose: () => Promise<void>
  /** The prefix as normalized: `""` or `/segment…` without a trailing `/`. */
  readonly basePath: string
}

/** `berth/` → `/berth`; `/` and `""` → `""`. */
export const normalizeBasePath = (raw: string | undefined): string => {
  const trimmed = (raw ?? "").trim().replace(/\/+$/, "")
  return trimmed === "" ? "" : trimmed.startsWith("/") ? trimmed : `/${trimmed}`
}

/** The path inside the prefix (`/berth/health` → `/health`), or `undefined` when `path` is outside it. */
export const insidePrefix = (basePath: string, path: string): string | undefined =>
  basePath === "" ? path
    : path === basePath ? "/"
    : path.startsWith(`${basePath}/`) ? path.slice(basePath.length)
    : undefined

/** The app layer, the router and API middleware registries, and the platform services a handler needs. */
export const appLayer = (options: Options) => {
  const basePath = normalizeBasePath(options.basePath)
  const config: Berth.Config = { ...options, edge: { ...options.edge, basePath } }
  return Composition.compose(Server.AppLive, { ...Berth.partsOf(config), persistence: Berth.persistenceOf(config) }).pipe(
    Layer.provideMerge(Layer.mergeAll(HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, NodeHttpServer.layerContext)),
    // A start that fails rejects every request; the reason is logged once, in the host's logger, not lost in a 500.
    Layer.tapErrorCause((cause) => Effect.logError("berth: start failed", cause)),
    Layer.provide(options.logger ?? Logging.layer)
  )
}

/** Named so the declaration of `appLayer` is portable. */
export type AppNeeds = AgentUrl.HostResolver | Runtime.RuntimeAllowlist | SecretCipher.SecretCipher | Persistence.Services

const outside = () => Response.json({ error: "not found" }, { status: 404 })

/** The OpenAPI document names the prefix as its server, so a client generated from it calls the mounted paths. */
const withServer = async (response: Response, basePath: string): Promise<Response> => {
  if (!response.ok) return response
  const document = await response.json() as Record<string, unknown>
  const headers = new Headers(response.headers)
  headers.delete("content-length")
  return Response.json({ ...document, servers: [{ url: basePath }] }, { status: response.status, headers })
}

/** Builds lazily: Berth starts on the first request (a start-up failure rejects it and is logged). */
export const make = (options: Options): WebHandler => {
  const basePath = normalizeBasePath(options.basePath)
  const inner = HttpApp.toWebHandlerLayerWith(appLayer(options), {
    toHandler: (runtime) => Effect.provide(Effect.map(HttpApiBuilder.httpApp, Server.edge), runtime)
  })
  const handler = (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const path = insidePrefix(basePath, url.pathname)
    if (path === undefined) return Promise.resolve(outside())
    if (basePath === "") return inner.handler(request)
    url.pathname = path
    const hasBody = request.body !== null
    const answer = inner.handler(new Request(url, {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      ...(hasBody ? { body: request.body, duplex: "half" } : {})
    } as RequestInit))
    return path === "/openapi.json" && request.method === "GET" ? answer.then((r) => withServer(r, basePath)) : answer
  }
  return { handler, dispose: inner.dispose, basePath }
}
