import { Context } from "effect"
import type { Effect } from "effect"
import type { ProvisionFailed } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/**
 * Capability of a container backend (Docker): the volumes of a workspace's container and reading files inside it.
 * A backend without containers (the CP: machines own their disks) leaves it out; callers ask with
 * `Effect.serviceOption(ContainerVolumes)`.
 */
export class ContainerVolumes extends Context.Tag("@berth/core/ContainerVolumes")<ContainerVolumes, {
  /** Reads a file inside the workspace's running container. */
  readonly execRead: (id: WorkspaceId, path: string) => Effect.Effect<string, ProvisionFailed>
  /** Removes the workspace's config and claude-sessions volumes (delete, §5.5 rule 4). */
  readonly removeVolume: (id: WorkspaceId) => Effect.Effect<void, ProvisionFailed>
  /** Whether the config volume holds `file` (the §8.2 restart preflight). */
  readonly volumeHasFile: (id: WorkspaceId, file: string) => Effect.Effect<boolean, ProvisionFailed>
  /** Writes `.auth_token` into the config volume before a start (§8.1 step 4). */
  readonly writeAuthTokenToVolume: (id: WorkspaceId, token: string) => Effect.Effect<void, ProvisionFailed>
  /**
   * For `DELETE …?purge=true` (§5.5 rule 7): removes the workspace data volume `ws-<id>-workspace` (absent counts as
   * removed; a host `workspace_dir` is never touched).
   */
  readonly removeWorkspaceData: (id: WorkspaceId) => Effect.Effect<void, ProvisionFailed>
}>() {}
