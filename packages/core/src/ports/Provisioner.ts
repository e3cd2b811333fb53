import { Context } from "effect"
import type { Effect } from "effect"
import type { ProvisionFailed } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

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

/** Where a started workload can be reached: a URL for a container, a machine id for a remote machine. */
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
 * What every provisioning backend does (§8.2): start, stop and probe one workload. Docker and the CP provide it,
 * each beside the capability ports only it has (`ContainerVolumes`, `ManagedContainers`, `MachineConsole`).
 * External-only mode (§1) provides no `Provisioner` at all: core asks `Effect.serviceOption(Provisioner)` and treats
 * its absence as the contract's "no backend". `isRunning` answers `true` when it cannot tell, so callers never act on
 * uncertainty (the error is logged by the adapter).
 */
export class Provisioner extends Context.Tag("@berth/core/Provisioner")<Provisioner, {
  readonly start: (spec: StartSpec) => Effect.Effect<StartResult, ProvisionFailed>
  readonly stop: (ref: WorkloadRef) => Effect.Effect<void, ProvisionFailed>
  readonly isRunning: (ref: WorkloadRef) => Effect.Effect<boolean>
}>() {}
