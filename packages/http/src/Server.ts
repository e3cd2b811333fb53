/**
 * The HTTP server as a layer: the API with its handler groups, the global edge chain (§4), the contract's 400 for
 * undecodable requests, Swagger UI at `/docs` and the OpenAPI document at `/openapi.json`. It needs an `HttpServer`
 * (a Node listener in `main.ts`, `NodeHttpServer.layerTest` in tests), `EdgeConfig` and the persistence services.
 */
import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { Hierarchy, Registry, RegistrySettings, TokenGate } from "@berth/core"
import type {
  AgentUrl, AutoRestart, InboundSecretCache, RemoteTerminalProbe, Runtime, TemplateCatalogue,
  WorkspaceLifecycle
} from "@berth/core"
import {
  Activities, EventHistory, Secrets, StatusCounts, Templates, Tokens, Workspaces, WorkspacesConfig
} from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "./Api.js"
import * as Edge from "./edge/Edge.js"
import * as EventSocket from "./handlers/EventSocket.js"
import * as EdgeConfig from "./edge/EdgeConfig.js"
import * as HttpMetrics from "./edge/HttpMetrics.js"
import * as NotFound from "./edge/NotFound.js"
import { ActivityLive } from "./handlers/ActivityHttp.js"
import { BootstrapFailedLive, TestTokenLive } from "./handlers/AdminWorkspacesHttp.js"
import { AdminSecretsLive } from "./handlers/AdminSecretsHttp.js"
import { ConsoleLive } from "./handlers/ConsoleHttp.js"
import { EventsLive } from "./handlers/EventsHttp.js"
import { EventStreamLive } from "./handlers/EventStreamHttp.js"
import { HibernationLive } from "./handlers/HibernationHttp.js"
import { ModelProviderLive } from "./handlers/ModelProviderHttp.js"
import { RegistryLive } from "./handlers/RegistryHttp.js"
import { RestartLive } from "./handlers/RestartHttp.js"
import { SystemLive } from "./handlers/SystemHttp.js"
import { TemplatesLive } from "./handlers/TemplatesHttp.js"
import { TerminalDiagnoseLive } from "./handlers/TerminalDiagnoseHttp.js"
import { TokensLive } from "./handlers/TokensHttp.js"
import { WorkspacesLive } from "./handlers/WorkspacesHttp.js"
import { WorkspaceSecretsLive } from "./handlers/WorkspaceSecretsHttp.js"
import { WorkspaceStateLive } from "./handlers/WorkspaceStateHttp.js"
import * as DecodeErrors from "./wire/DecodeErrors.js"

/**
 * What `main.ts` (or a test) provides besides the persistence services and an `HttpServer`: the edge settings, the
 * agent-URL resolver, the backend (the workspace lifecycle and its auto-restart, the remote terminal probe; the
 * provisioner and its capability ports are read optionally, absent in external-only mode), the template catalogue, the runtime allowlist, and the inbound-secret cache — one per process, shared with the
 * lifecycle, which writes a fresh secret through it on every provision (§9.3).
 */
export type Requires =
  | AgentUrl.HostResolver
  | EdgeConfig.EdgeConfig
  | WorkspaceLifecycle
  | AutoRestart
  | RemoteTerminalProbe
  | TemplateCatalogue
  | Runtime.RuntimeAllowlist
  | InboundSecretCache

/** Shared by the edge (which counts) and `/metrics` (which renders): one instance per server. */
const MetricsLive = HttpMetrics.layer

/** Core's registry services over the persistence ports, with the registry's settings taken from the edge's. */
const RegistryCoreLive = Layer.mergeAll(Registry.DefaultWithoutDependencies, Hierarchy.Default).pipe(
  Layer.provideMerge(TokenGate.Default),
  Layer.provide(Layer.effect(RegistrySettings, Effect.map(EdgeConfig.EdgeConfig, (edge) => ({ saasMode: edge.saasMode }))))
)

/** What the workspace use cases read of the edge settings. */
const WorkspacesConfigLive = Layer.effect(
  WorkspacesConfig,
  Effect.map(EdgeConfig.EdgeConfig, (settings) => ({ saasMode: settings.saasMode }))
)

/** The core services the handlers call, over the ports the caller provides. */
const CoreServicesLive = Workspaces.Default.pipe(Layer.provide(WorkspacesConfigLive))

/**
 * Handler groups. A group behind a route guard gets the guard's layer provided TO it
 * (`GroupLive.pipe(Layer.provide(AdminAuth.layer))`); providing it beside the group fails at run time.
 */
export const GroupsLive = Layer.mergeAll(
  SystemLive,
  WorkspacesLive,
  RestartLive,
  HibernationLive,
  ModelProviderLive,
  WorkspaceSecretsLive,
  TerminalDiagnoseLive,
  WorkspaceStateLive,
  RegistryLive,
  ActivityLive,
  TokensLive,
  EventsLive,
  EventStreamLive,
  BootstrapFailedLive,
  TestTokenLive,
  ConsoleLive,
  AdminSecretsLive,
  TemplatesLive
).pipe(Layer.provide(MetricsLive), Layer.provide(CoreServicesLive), Layer.provide(RegistryCoreLive))

export const ApiLive = HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))

const edge = <E>(app: HttpApp.Default<E>) => HttpMiddleware.logger(Edge.middleware(app))

/** The core services of the secrets, tokens, activity, events, templates and system routes (and their guards). */
const RestServicesLive = Layer.mergeAll(
  Secrets.Default,
  Tokens.Default,
  Activities.Default,
  EventHistory.Default,
  Templates.Default,
  StatusCounts.Default
)

export const HttpLive = HttpApiBuilder.serve(edge).pipe(
  Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
  Layer.provide(EventSocket.layer.pipe(Layer.provide(RegistryCoreLive))),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
  Layer.provide(DecodeErrors.layer),
  Layer.provide(NotFound.layer),
  Layer.provide(ApiLive),
  Layer.provide(Edge.layer),
  Layer.provide(MetricsLive),
  Layer.provide(RestServicesLive)
)
