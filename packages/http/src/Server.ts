/**
 * The HTTP server as a layer: the API with its handler groups, the global edge chain (§4), the contract's 400 for
 * undecodable requests, Swagger UI at `/docs` and the OpenAPI document at `/openapi.json`. It needs an `HttpServer`
 * (a Node listener in `main.ts`, `NodeHttpServer.layerTest` in tests), `EdgeConfig` and the persistence services.
 */
import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import type {
  AgentTransport, AgentUrl, AutoRestart, InboundSecretCache, RemoteTerminalProbe, Runtime, TemplateCatalogue,
  WorkspaceLifecycle
} from "@berth/core"
import { Layer } from "effect"
import { Api } from "./Api.js"
import { A2aCoreLive, RegistryCoreLive, RestServicesLive, WorkspacesCoreLive } from "./CoreServices.js"
import * as Edge from "./edge/Edge.js"
import * as EventSocket from "./handlers/EventSocket.js"
import * as EdgeConfig from "./edge/EdgeConfig.js"
import * as HttpMetrics from "./edge/HttpMetrics.js"
import * as NotFound from "./edge/NotFound.js"
import { A2aLive } from "./handlers/A2aHttp.js"
import { ActivityLive } from "./handlers/ActivityHttp.js"
import { BootstrapFailedLive, TestTokenLive } from "./handlers/AdminWorkspacesHttp.js"
import { AdminSecretsLive, SettingsSecretsLive } from "./handlers/AdminSecretsHttp.js"
import { ConsoleLive } from "./handlers/ConsoleHttp.js"
import { DiscoveryLive } from "./handlers/DiscoveryHttp.js"
import { EventsLive } from "./handlers/EventsHttp.js"
import { EventStreamLive } from "./handlers/EventStreamHttp.js"
import { HibernationLive } from "./handlers/HibernationHttp.js"
import { ModelProviderLive } from "./handlers/ModelProviderHttp.js"
import { RegistryLive } from "./handlers/RegistryHttp.js"
import { RestartLive } from "./handlers/RestartHttp.js"
import { SecretValuesLive } from "./handlers/SecretValuesHttp.js"
import { SystemLive } from "./handlers/SystemHttp.js"
import { TemplatesLive } from "./handlers/TemplatesHttp.js"
import { TerminalDiagnoseLive } from "./handlers/TerminalDiagnoseHttp.js"
import { TokensLive } from "./handlers/TokensHttp.js"
import { WorkspacesLive } from "./handlers/WorkspacesHttp.js"
import { WorkspaceEditLive } from "./handlers/WorkspaceEditHttp.js"
import { WorkspaceSecretsLive } from "./handlers/WorkspaceSecretsHttp.js"
import { WorkspaceStateLive } from "./handlers/WorkspaceStateHttp.js"
import * as DecodeErrors from "./wire/DecodeErrors.js"

/**
 * What `main.ts` (or a test) provides besides the persistence services and an `HttpServer`: the edge settings, the
 * agent-URL resolver and the A2A transport, the backend (the workspace lifecycle and its auto-restart, the remote terminal probe; the
 * provisioner and its capability ports are read optionally, absent in external-only mode), the template catalogue, the runtime allowlist, and the inbound-secret cache — one per process, shared with the
 * lifecycle, which writes a fresh secret through it on every provision (§9.3).
 */
export type Requires =
  | AgentUrl.HostResolver
  | AgentTransport
  | EdgeConfig.EdgeConfig
  | WorkspaceLifecycle
  | AutoRestart
  | RemoteTerminalProbe
  | TemplateCatalogue
  | Runtime.RuntimeAllowlist
  | InboundSecretCache

/** Shared by the edge (which counts) and `/metrics` (which renders): one instance per server. */
const MetricsLive = HttpMetrics.layer

/**
 * Handler groups. A group behind a route guard gets the guard's layer provided TO it
 * (`GroupLive.pipe(Layer.provide(AdminAuth.layer))`); providing it beside the group fails at run time.
 */
export const GroupsLive = Layer.mergeAll(
  SystemLive,
  WorkspacesLive,
  WorkspaceEditLive,
  RestartLive,
  HibernationLive,
  ModelProviderLive,
  WorkspaceSecretsLive,
  SecretValuesLive,
  TerminalDiagnoseLive,
  WorkspaceStateLive,
  RegistryLive,
  DiscoveryLive,
  A2aLive.pipe(Layer.provide(A2aCoreLive)),
  ActivityLive,
  TokensLive,
  EventsLive,
  EventStreamLive,
  BootstrapFailedLive,
  TestTokenLive,
  ConsoleLive,
  AdminSecretsLive,
  SettingsSecretsLive,
  TemplatesLive
).pipe(Layer.provide(MetricsLive), Layer.provide(WorkspacesCoreLive), Layer.provide(RegistryCoreLive))

export const ApiLive = HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))

/**
 * The app without a listener: the API, Swagger, OpenAPI, the decode-error and not-found answers, and (merged out, so
 * the edge chain wrapping the app finds them) the edge services, the metrics and the core services. `HttpLive`
 * serves it on an `HttpServer`; the embedding web handler serves it to `Request`s.
 */
export const AppLive = HttpApiSwagger.layer({ path: "/docs" }).pipe(
  // Built in this order, innermost last, as before the split: the API middlewares register in it.
  Layer.provideMerge(EventSocket.layer.pipe(Layer.provide(RegistryCoreLive))),
  Layer.provideMerge(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
  Layer.provideMerge(DecodeErrors.layer),
  Layer.provideMerge(NotFound.layer),
  Layer.provideMerge(ApiLive),
  Layer.provideMerge(Edge.layer),
  Layer.provideMerge(MetricsLive),
  Layer.provideMerge(RestServicesLive)
)

/** The edge chain (§4) around the app, inside the access log (`edge/AccessLog.ts`). */
export const edge = <E, R>(app: HttpApp.Default<E, R>) => Edge.middleware(app)

/**
 * The server's own span per request is off: Berth installs no tracer, so the span (a URL parse, every header copied
 * into attributes) went nowhere, on every request (issue 21).
 */
export const HttpLive = HttpApiBuilder.serve(edge).pipe(
  HttpMiddleware.withTracerDisabledWhen(() => true),
  Layer.provide(AppLive)
)
