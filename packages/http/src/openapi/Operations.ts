/**
 * What `/openapi.json` says about each operation (keyed by operationId, `group.endpoint`): a summary, a description,
 * and the guard that admits a caller. Route middleware (AdminAuth, WorkspaceAuth) is read from the Api itself; `guard`
 * here names the rules a handler runs after decoding (the registry token gate, the test-token rule), which the Api
 * cannot see.
 */

/** `admin`: an admin bearer (§4.3); `workspace`: that workspace's bearer (§4.2, §4.4); `open`: none. */
export type Guard = "admin" | "workspace" | "open"

export interface OperationDoc {
  readonly summary: string
  readonly description: string
  /** Only for rules checked by the handler; route middleware is found from the Api. */
  readonly guard?: Guard
}

export const operations: Readonly<Record<string, OperationDoc>> = {
  "system.health": { summary: "Liveness", description: "Answers 200 while the process serves requests; no database call." },
  "system.buildinfo": { summary: "Build information", description: "The git SHA and version the server was built from." },
  "system.metrics": { summary: "Prometheus metrics", description: "Request counters, workspaces by status and loop durations in Prometheus text format." },
  "workspaces.create": { summary: "Create a workspace", description: "Stores the workspace and starts provisioning it; an external workspace answers with the token its agent registers with. Honours `Idempotency-Key`." },
  "workspaces.list": { summary: "List workspaces", description: "Workspaces in creation order, paged with `cursor` and `limit`." },
  "workspaces.get": { summary: "Get a workspace", description: "One workspace with its status and, after a failure, the last reason; `include_removed` shows removed ones." },
  "workspaceEdit.update": { summary: "Edit a workspace", description: "Changes name, role, tier, parent, runtime, host directory or canvas layout; only the fields sent." },
  "workspaces.remove": { summary: "Remove a workspace", description: "Stops and removes the workspace (and with `cascade`, its children); needs `confirm` when it has children." },
  "restart.restart": { summary: "Restart a workspace", description: "Re-provisions the workspace, optionally from another template or with its session volume reset." },
  "hibernation.pause": { summary: "Pause a workspace", description: "Stops the workspace and every descendant not already paused, keeping their volumes; nothing restarts them until resumed." },
  "hibernation.resume": { summary: "Resume a workspace", description: "Provisions a paused workspace and its paused descendants again from their kept volumes; also wakes a hibernated workspace." },
  "hibernation.hibernate": { summary: "Hibernate a workspace", description: "Stops an online or degraded workspace, keeping its volumes, and answers once it really stopped; `force=true` hibernates it even with active tasks. Restart or resume wakes it." },
  "modelProvider.getModel": { summary: "Get the model", description: "The model the workspace's agent runs." },
  "modelProvider.putModel": { summary: "Set the model", description: "Changes the model; applied on the next restart." },
  "modelProvider.getProvider": { summary: "Get the provider", description: "The model provider the workspace's agent uses." },
  "modelProvider.putProvider": { summary: "Set the provider", description: "Changes the model provider; applied on the next restart." },
  "workspaceSecrets.list": { summary: "List workspace secrets", description: "Secret keys of the workspace (values are never returned)." },
  "workspaceSecrets.create": { summary: "Add a workspace secret", description: "Stores a secret (encrypted when `SECRETS_ENCRYPTION_KEY` is set)." },
  "workspaceSecrets.update": { summary: "Replace a workspace secret", description: "Stores a new value under an existing key." },
  "workspaceSecrets.remove": { summary: "Delete a workspace secret", description: "Removes one secret by key." },
  "terminalDiagnose.diagnose": { summary: "Diagnose the terminal", description: "Runs the terminal connection stages and reports which one fails." },
  "workspaceState.state": { summary: "Workspace state", description: "The workspace's runtime state as last reported by its agent." },
  "registry.register": { summary: "Register an agent", description: "An agent announces its URL and card; the first register of a workspace without a live token returns one.", guard: "workspace" },
  "registry.heartbeat": { summary: "Heartbeat", description: "An agent reports liveness, error rate and current task; may move the workspace's status.", guard: "workspace" },
  "registry.updateCard": { summary: "Update the agent card", description: "Replaces the agent card of a registered workspace.", guard: "workspace" },
  "discovery.discover": { summary: "Discover a peer", description: "The URL at which the caller (`X-Workspace-ID`, with its own token) reaches a workspace the hierarchy lets it talk to.", guard: "workspace" },
  "discovery.peers": { summary: "List peers", description: "The workspace's siblings, children and parent, filtered by `q` on name or role.", guard: "workspace" },
  "a2a.proxy": {
    summary: "Send an A2A message",
    description: "Forwards a JSON-RPC message to the workspace's agent and answers with the agent's own status and body. The caller names itself in `X-Workspace-ID` with its own bearer (none: the canvas); the hierarchy rule decides. Also answers 402 (budget spent), 413 (body over 1 MiB), 503 with `Retry-After` (waking from hibernation, or agent busy) and, when the agent fails, its status with `{\"error\": …}`."
  },
  "discovery.checkAccess": { summary: "Check access", description: "Whether the hierarchy lets `caller_id` talk to `target_id`.", guard: "open" },
  "secretValues.values": { summary: "Pull secret values", description: "The decrypted environment of the workspace (globals overridden by its own); only with the workspace's own token." },
  "activity.list": { summary: "List activity", description: "The workspace's activity log, newest first." },
  "activity.log": { summary: "Log activity", description: "Appends one entry to the workspace's activity log." },
  "tokens.list": { summary: "List tokens", description: "The workspace's live tokens (prefixes only)." },
  "tokens.mint": { summary: "Mint a token", description: "Issues a new workspace token; the value is shown once." },
  "tokens.revoke": { summary: "Revoke a token", description: "Revokes one token by id." },
  "events.latest": { summary: "Recent events", description: "The latest events of every workspace." },
  "events.latestOf": { summary: "Recent events of a workspace", description: "The latest events of one workspace." },
  "eventStream.stream": { summary: "Event stream", description: "Server-Sent Events of one workspace as they happen." },
  "adminWorkspaces.bootstrapFailed": { summary: "Report a bootstrap failure", description: "The bootstrap watcher marks the workspace failed with a reason." },
  "testToken.testToken": { summary: "Test token", description: "Mints an extra token of the workspace for tests. 404 unless test tokens are on (MOLECULE_ENABLE_TEST_TOKENS=1 or a non-production env); with ADMIN_TOKEN set, only that exact bearer is accepted.", guard: "admin" },
  "console.console": { summary: "Console output", description: "The last lines of the workspace's container console." },
  "adminSecrets.list": { summary: "List global secrets", description: "Keys of the secrets every workspace inherits." },
  "adminSecrets.save": { summary: "Save a global secret", description: "Stores a secret every workspace inherits." },
  "adminSecrets.remove": { summary: "Delete a global secret", description: "Removes one global secret by key." },
  "settingsSecrets.list": { summary: "List global secrets", description: "Keys of the secrets every workspace inherits (the canonical path; same as `/admin/secrets`)." },
  "settingsSecrets.save": { summary: "Save a global secret", description: "Stores a secret every workspace inherits." },
  "settingsSecrets.create": { summary: "Save a global secret", description: "Stores a secret every workspace inherits (POST, as PUT)." },
  "settingsSecrets.remove": { summary: "Delete a global secret", description: "Removes one global secret by key." },
  "templates.list": { summary: "List templates", description: "The workspace templates of the catalogue." }
}
