import type { Option } from "effect"
import { Context, Effect } from "effect"
import type { ProvisionFailed } from "../Errors.js"
import { NoBackend } from "../Errors.js"
import type { WorkspaceId } from "../WorkspaceId.js"

export type WorkspaceAccess = "none" | "read_only" | "read_write"

/** What a provisioner needs to start one workload (§8.1–8.3). Built by the provisioning pipeline. */
export interface StartSpec {
  readonly id: WorkspaceId
  readonly runtime: string
  readonly tier: number
  /** Every environment variable prepared by the pipeline (secrets, MODEL, git identity, role, parent…). */
  readonly env: Readonly<Record<string, string>>
  /** Host path of a template directory to copy into `/configs`, when one was chosen. */
  readonly templateDir: string | null
  /** Generated files written into `/configs` (e.g. `config.yaml`, `.auth_token`, `.platform_inbound_secret`). */
  readonly configFiles: Readonly<Record<string, string>>
  readonly workspaceDir: string | null
  readonly workspaceAccess: WorkspaceAccess
  readonly platformUrl: string
  /** Remove the claude-sessions volume before starting (restart with `reset`). */
  readonly resetSession: boolean
}

/** Where a started workload can be reached: a URL for Docker, a machine id for the CP. */
export interface StartResult {
  readonly url: string | null
  readonly instanceId: string | null
}

/** Identifies a running workload; `instanceId` is the CP machine id on file (Docker ignores it). */
export interface WorkloadRef {
  readonly id: WorkspaceId
  readonly instanceId: string | null
}

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
 * The provisioning backend port (§8.2 operation list). Docker and CP adapters implement it; with no backend,
 * every operation fails with `NoBackend`. `isRunning` answers `true` when it cannot tell, so callers never act on
 * uncertainty (the error is logged by the adapter).
 */
export class Provisioner extends Context.Tag("@berth/core/Provisioner")<Provisioner, {
  readonly kind: "docker" | "cp" | "none"
  readonly start: (spec: StartSpec) => Effect.Effect<StartResult, ProvisionFailed | NoBackend>
  readonly stop: (ref: WorkloadRef) => Effect.Effect<void, ProvisionFailed | NoBackend>
  readonly isRunning: (ref: WorkloadRef) => Effect.Effect<boolean, NoBackend>
  readonly execRead: (id: WorkspaceId, path: string) => Effect.Effect<string, ProvisionFailed | NoBackend>
  readonly removeVolume: (id: WorkspaceId) => Effect.Effect<void, ProvisionFailed | NoBackend>
  readonly volumeHasFile: (id: WorkspaceId, file: string) => Effect.Effect<boolean, ProvisionFailed | NoBackend>
  readonly writeAuthTokenToVolume: (id: WorkspaceId, token: string) => Effect.Effect<void, ProvisionFailed | NoBackend>
  /** Docker: every managed container (§7.3). CP: fails with `NoBackend` (its reconciler works from the database). */
  readonly listManaged: Effect.Effect<ReadonlyArray<ManagedWorkload>, ProvisionFailed | NoBackend>
  /**
   * Docker, for the orphan sweeper (§7.3): force-removes the managed container named `name` (as `listManaged` lists
   * it, so also a legacy `ws-<12 chars>`), then — only once it is gone — its `<name>-configs` volume and, with a
   * warning on failure, its `<name>-claude-sessions` volume. An absent container or volume counts as removed; a
   * container of that name without the managed label is left alone and fails with `ProvisionFailed`, as does a
   * failed removal (the volumes then stay). CP: fails with `NoBackend`.
   */
  readonly removeManaged: (name: string) => Effect.Effect<void, ProvisionFailed | NoBackend>
  /**
   * Docker, for `DELETE …?purge=true` (§5.5 rule 7): removes the workspace data volume `ws-<id>-workspace` (absent
   * counts as removed; a host `workspace_dir` is never touched). CP: fails with `NoBackend` (machines own their disks).
   */
  readonly removeWorkspaceData: (id: WorkspaceId) => Effect.Effect<void, ProvisionFailed | NoBackend>
  /** CP: the machine's console output (§5.12 `GET …/console`). Docker: fails with `NoBackend` (→ 501). */
  readonly consoleOutput: (ref: WorkloadRef) => Effect.Effect<string, ProvisionFailed | NoBackend>
  /** Docker: the workspace's container by its current, then legacy name (diagnosis). CP: fails with `NoBackend`. */
  readonly locateContainer: (id: WorkspaceId) => Effect.Effect<ContainerLocation, ProvisionFailed | NoBackend>
}>() {}

const noBackend = new NoBackend()

/**
 * External-only mode (§1): every operation fails with `NoBackend`, so callers mark the workspace failed with the
 * contract's reason instead of crashing.
 */
export const provisionerNone: Context.Tag.Service<Provisioner> = {
  kind: "none",
  start: () => Effect.fail(noBackend),
  stop: () => Effect.fail(noBackend),
  isRunning: () => Effect.fail(noBackend),
  execRead: () => Effect.fail(noBackend),
  removeVolume: () => Effect.fail(noBackend),
  volumeHasFile: () => Effect.fail(noBackend),
  writeAuthTokenToVolume: () => Effect.fail(noBackend),
  listManaged: Effect.fail(noBackend),
  removeManaged: () => Effect.fail(noBackend),
  removeWorkspaceData: () => Effect.fail(noBackend),
  consoleOutput: () => Effect.fail(noBackend),
  locateContainer: () => Effect.fail(noBackend)
}
