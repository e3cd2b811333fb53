import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { ProvisionFailed } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** A container the backend manages (label `molecule.platform.managed=true`), for the orphan sweeper (§7.3). */
export interface ManagedWorkload {
  /** Container name without the leading `/`: `ws-<id>` or a legacy `ws-<12 hex>`. */
  readonly name: string
  readonly running: boolean
}

/** A container found by name for terminal diagnosis (§5.12 local stages). */
export interface FoundContainer {
  /** The name that matched, without the leading `/`. */
  readonly name: string
  readonly running: boolean
  /** The engine's state word (`running`, `exited`, `created`…), shown as the `container-running` detail. */
  readonly state: string
}

/** What `locateContainer` tried and found: `ws-<id>` first, then the legacy `ws-<first 12 chars of id>` (§11.3). */
export interface ContainerLocation {
  readonly tried: ReadonlyArray<string>
  readonly found: Option.Option<FoundContainer>
}

/**
 * Capability of a container backend (Docker): the containers it manages, listed, removed and found by name (the
 * orphan sweeper of §7.3, the Docker health pass, terminal diagnosis). Its presence means "workloads are local
 * containers"; a backend without containers leaves it out and callers ask with `Effect.serviceOption`.
 */
export class ManagedContainers extends Context.Tag("@berth/core/ManagedContainers")<ManagedContainers, {
  /** Every managed container (§7.3). */
  readonly listManaged: Effect.Effect<ReadonlyArray<ManagedWorkload>, ProvisionFailed>
  /**
   * For the orphan sweeper (§7.3): force-removes the managed container named `name` (as `listManaged` lists it, so
   * also a legacy `ws-<12 chars>`), then — only once it is gone — its `<name>-configs` volume and, with a warning on
   * failure, its `<name>-claude-sessions` volume. An absent container or volume counts as removed; a container of
   * that name without the managed label is left alone and fails with `ProvisionFailed`, as does a failed removal
   * (the volumes then stay).
   */
  readonly removeManaged: (name: string) => Effect.Effect<void, ProvisionFailed>
  /** The workspace's container by its current, then legacy name (diagnosis). */
  readonly locateContainer: (id: WorkspaceId) => Effect.Effect<ContainerLocation, ProvisionFailed>
}>() {}
