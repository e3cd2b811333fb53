import type { Effect } from "effect"
import { Context } from "effect"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/**
 * One stage of `GET /workspaces/:id/terminal/diagnose` (§5.12). `error` and `detail` are omitted on the wire when
 * empty, so they are optional here.
 */
export interface DiagnoseStep {
  readonly name: string
  readonly ok: boolean
  readonly durationMs: number
  readonly error?: string | undefined
  readonly detail?: string | undefined
}

/**
 * The remote stages of terminal diagnosis for a CP machine (§5.12: `ssh-keygen`, `read-pubkey`,
 * `send-ssh-public-key`, `pick-free-port`, `open-tunnel`, `wait-for-port`, `ssh-probe`), run in order and stopped
 * at the first failure. Never fails: a stage that cannot run is a failed step with its error.
 */
export class RemoteTerminalProbe extends Context.Tag("@berth/core/RemoteTerminalProbe")<RemoteTerminalProbe, {
  readonly diagnose: (id: WorkspaceId, instanceId: string) => Effect.Effect<ReadonlyArray<DiagnoseStep>>
}>() {}
