/**
 * The core services every driver calls (the HTTP handlers, the embedding API), over the ports the composition
 * provides. The settings core reads of the edge (`saasMode`) are taken from `EdgeConfig`, so one value decides them
 * for every driver of a process.
 */
import {
  A2aProxy, Activities, Console, DeploymentMode, Discovery, EventHistory, Hibernation, Hierarchy, Registry, Restart, Secrets, StatusCounts, Templates,
  TerminalDiagnosis, TokenGate, Tokens, Workspaces
} from "@berth/core"
import type { AgentUrl, Runtime } from "@berth/core"
import { Effect, Layer } from "effect"
import * as EdgeConfig from "./edge/EdgeConfig.js"

/** Two of what the services need besides the persistence ports (named here so their declarations are portable). */
export type Needs = AgentUrl.HostResolver | Runtime.RuntimeAllowlist

/** The deployment mode core's URL rules read (§1, §9.6), taken from the edge's settings. */
const DeploymentModeLive = Layer.effect(
  DeploymentMode,
  Effect.map(EdgeConfig.EdgeConfig, (settings) => ({ saasMode: settings.saasMode }))
)

/** Core's registry services over the persistence ports. */
export const RegistryCoreLive = Layer.mergeAll(Registry.DefaultWithoutDependencies, Discovery.DefaultWithoutDependencies).pipe(
  Layer.provideMerge(Hierarchy.Default),
  Layer.provideMerge(TokenGate.Default),
  Layer.provide(DeploymentModeLive)
)

/** The workspace use cases. */
export const WorkspacesCoreLive = Workspaces.Default.pipe(Layer.provide(DeploymentModeLive))

/** The A2A proxy (§5.13). */
export const A2aCoreLive = A2aProxy.Default.pipe(Layer.provide(DeploymentModeLive))

/** The core services of the secrets, tokens, activity, events, templates and system routes (and their guards). */
export const RestServicesLive = Layer.mergeAll(
  Secrets.Default,
  Tokens.Default,
  Activities.Default,
  EventHistory.Default,
  Templates.Default,
  StatusCounts.Default
)

/** The lifecycle use cases of the restart, pause/resume/hibernate, console and terminal-diagnosis routes (their handlers provide the same layers). */
export const LifecycleServicesLive = Layer.mergeAll(
  Restart.Default, Hibernation.Default, Console.Default, TerminalDiagnosis.TerminalDiagnosis.Default
)

/** Every core service a driver calls. */
export const layer = Layer.mergeAll(WorkspacesCoreLive, RegistryCoreLive, RestServicesLive, LifecycleServicesLive, A2aCoreLive)
