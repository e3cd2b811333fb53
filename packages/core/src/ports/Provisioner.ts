import type { Effect } from "effect"
import { Context } from "effect"
import type { NoBackend, ProvisionFailed } from "../Errors.js"
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
}>() {}
