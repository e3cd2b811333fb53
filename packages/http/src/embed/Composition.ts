/**
 * The ONE composition of Berth: a front (the HTTP server, the web app, or only the core services) over the backend,
 * the template catalogue, the runtime allowlist, the agent-URL resolver, the inbound-secret cache, the edge settings,
 * the persistence and core's settings, with the background loops (§7) beside it or not. `main.ts` hands it the
 * parts it reads from the environment; `Berth.layer` hands it the parts an embedder passes as values.
 */
import { HostResolverNode, HttpAgentTransport } from "@berth/adapters"
import type { Persistence } from "@berth/adapters"
import type { AgentTransport, AgentUrl, ProvisionSettings, Runtime, SweepSettings, TemplateCatalogue } from "@berth/core"
import { InboundSecretCache, Loops, SweepMetrics } from "@berth/core"
import type { SqlClient } from "@effect/sql"
import { Layer } from "effect"
import type * as Backend from "../Backend.js"
import type * as EdgeConfig from "../edge/EdgeConfig.js"

/** What one composition is made of; each part's error and requirement types flow into the result. */
export interface Parts<EP, RP, EB, ET, RT, EE> {
  /** Persistence: repositories, event bus and leadership (and its own `SqlClient`, or the host's in `RP`), migrated. */
  readonly persistence: Layer.Layer<Exclude<Persistence.Services, SqlClient.SqlClient>, EP, RP>
  /** The provisioning backend with the lifecycle over it (`Backend.BackendLive`, `Backend.backendOver(…)`). */
  readonly backend: Layer.Layer<Backend.BackendServices, EB, Backend.BackendNeeds>
  readonly templates: Layer.Layer<TemplateCatalogue, ET, RT>
  readonly runtimes: Layer.Layer<Runtime.RuntimeAllowlist>
  /** The agent-URL resolver (§9.6); `HostResolverNode.layer` unless a test or host brings its own. */
  readonly resolver?: Layer.Layer<AgentUrl.HostResolver>
  /** How the A2A proxy reaches agents (§5.13); `HttpAgentTransport.layer` unless a test or host brings its own. */
  readonly agentTransport?: Layer.Layer<AgentTransport>
  readonly edge: Layer.Layer<EdgeConfig.EdgeConfig, EE>
  readonly settings: Layer.Layer<ProvisionSettings | SweepSettings>
  /** The §7 loops (health, liveness, provision timeout, retention, orphans), each pass timed for `/metrics`. */
  readonly loops: boolean
}

/** The background loops, their passes timed through the leadership they run under. */
export const LoopsLive = Loops.layer.pipe(Layer.provide(SweepMetrics.timedLeadership))

/**
 * `front` over every part. Everything built is also an output (`provideMerge`), so an embedder reaches the core
 * services, the event bus and the lifecycle the front was built with: one instance of each per composition.
 */
export const compose = <A, E, R, EP, RP, EB, ET, RT, EE>(front: Layer.Layer<A, E, R>, parts: Parts<EP, RP, EB, ET, RT, EE>) =>
  Layer.merge(front, parts.loops ? LoopsLive : Layer.empty).pipe(
    Layer.provideMerge(parts.backend),
    Layer.provideMerge(Layer.mergeAll(parts.templates, parts.resolver ?? HostResolverNode.layer, parts.agentTransport ?? HttpAgentTransport.layer, parts.runtimes, InboundSecretCache.Default, parts.edge)),
    Layer.provideMerge(parts.persistence),
    Layer.provideMerge(parts.settings)
  )
