import { Context, Effect, Layer } from "effect"
import type { AgentRegistrationsShape } from "./AgentRegistrations.js"
import { AgentRegistrations } from "./AgentRegistrations.js"
import type { InboundSecretsShape } from "./InboundSecrets.js"
import { InboundSecrets } from "./InboundSecrets.js"
import type { StatusWritesShape } from "./StatusWrites.js"
import { StatusWrites } from "./StatusWrites.js"
import type { SweepCandidatesShape } from "./SweepCandidates.js"
import { SweepCandidates } from "./SweepCandidates.js"
import type { WorkspaceHierarchyShape } from "./WorkspaceHierarchy.js"
import { WorkspaceHierarchy } from "./WorkspaceHierarchy.js"
import type { WorkspaceStoreShape } from "./WorkspaceStore.js"
import { WorkspaceStore } from "./WorkspaceStore.js"

/**
 * Every workspace port at once (issue 16): TEMPORARY. Only the http handlers and guards still ask for it, until they
 * are migrated; every other consumer asks for the narrow port it needs, and so must new code.
 */
export class WorkspaceRepository extends Context.Tag("@berth/core/WorkspaceRepository")<
  WorkspaceRepository,
  WorkspaceStoreShape & StatusWritesShape & WorkspaceHierarchyShape & AgentRegistrationsShape & SweepCandidatesShape &
    InboundSecretsShape
>() {}

/** Each narrow workspace port, served by one implementation of all of them (temporary, with the union). */
export const narrowPorts = (repo: WorkspaceRepository["Type"]): Context.Context<
  WorkspaceStore | StatusWrites | WorkspaceHierarchy | AgentRegistrations | SweepCandidates | InboundSecrets
> =>
  Context.make(WorkspaceStore, repo).pipe(
    Context.add(StatusWrites, repo),
    Context.add(WorkspaceHierarchy, repo),
    Context.add(AgentRegistrations, repo),
    Context.add(SweepCandidates, repo),
    Context.add(InboundSecrets, repo)
  )

/** The union, assembled from the narrow ports (temporary: how persistence serves the not yet migrated handlers). */
export const layerFromNarrowPorts: Layer.Layer<
  WorkspaceRepository,
  never,
  WorkspaceStore | StatusWrites | WorkspaceHierarchy | AgentRegistrations | SweepCandidates | InboundSecrets
> = Layer.effect(
  WorkspaceRepository,
  Effect.gen(function* () {
    return WorkspaceRepository.of({
      ...(yield* WorkspaceStore),
      ...(yield* StatusWrites),
      ...(yield* WorkspaceHierarchy),
      ...(yield* AgentRegistrations),
      ...(yield* SweepCandidates),
      ...(yield* InboundSecrets)
    })
  })
)
