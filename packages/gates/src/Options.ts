import type { GateId } from "./Finding.js"

/**
 * What the gates look at. Every field has a default that fits Berth's own layout, so `runGates(".")` needs none;
 * a service embedding Berth's gates overrides what differs in its tree.
 */
export interface GateOptions {
  /** Run only these gates (default: all). */
  readonly gates?: ReadonlyArray<GateId>
  /** Globs (relative to the project root) of the TypeScript files to scan. */
  readonly include?: ReadonlyArray<string>
  /** Globs (relative to the project root) never scanned, on top of `**\/*.d.ts` and `node_modules`. */
  readonly exclude?: ReadonlyArray<string>
  /** Restart modules (gates 1 and 2), matched against the file's base name. */
  readonly restartModules?: RegExp
  /** Named functions that are background programs by construction (gate 1), e.g. `restartCycle` (default `/cycle$/i`). */
  readonly backgroundFunctions?: RegExp
  /** The repository's status-writing functions (bound-status-writes), by the name the function is known by. */
  readonly statusWriters?: RegExp
  /** Modules (base name) holding the status-writing functions; a status write elsewhere is a finding. */
  readonly statusWriterModules?: RegExp
  /** Where core's status list lives (`export const statuses = [...] as const`). */
  readonly statusModule?: string
  /** Core's transition table (rows `{ from, to, … }`; sweep rows add `runtimes` and `clock`), read by gates 3 and 7. */
  readonly transitionsModule?: string
  /** Folder (relative) holding the SQL migrations (gate 4). */
  readonly migrationsDir?: string
  /** Status-like words that are not workspace statuses (wire answers, activity rows), allowed by gate 4. */
  readonly otherStatusWords?: ReadonlyArray<string>
  /** Core's provider table module (gate 5). */
  readonly providerModule?: string
  /** The template's provider script, relative to the project root (gate 5). */
  readonly providerScript?: string
  /** Modules whose token revocations must exempt external workspaces (gate 7), by base name. */
  readonly tokenSweepModules?: RegExp
  /** Modules whose workspace status updates must exempt (or explicitly scope) external workspaces (gate 7). */
  readonly statusSweepModules?: RegExp
  /** Receivers recognised as a provisioner in `x.start(…)` (gate 8), matched against the last name. */
  readonly provisionerNames?: RegExp
  /** The mint-secrets step (gate 8), matched against the called function's name. */
  readonly mintSecrets?: RegExp
}

export interface ResolvedOptions {
  readonly gates: ReadonlyArray<GateId>
  readonly include: ReadonlyArray<string>
  readonly exclude: ReadonlyArray<string>
  readonly restartModules: RegExp
  readonly backgroundFunctions: RegExp
  readonly statusWriters: RegExp
  readonly statusWriterModules: RegExp
  readonly statusModule: string
  readonly transitionsModule: string
  readonly migrationsDir: string
  readonly otherStatusWords: ReadonlyArray<string>
  readonly providerModule: string
  readonly providerScript: string
  readonly tokenSweepModules: RegExp
  readonly statusSweepModules: RegExp
  readonly provisionerNames: RegExp
  readonly mintSecrets: RegExp
}

/**
 * Words the contract uses as `status` of things other than a workspace: HTTP answers (§5: `{"status":"saved"}`…)
 * and activity rows (§3.4 `ok|error|timeout`). Gate 4 accepts them so that only true typos and unknown workspace
 * statuses fail.
 */
export const defaultOtherStatusWords: ReadonlyArray<string> = [
  "ok", "error", "timeout",
  "noop", "saved", "cleared", "deleted", "updated", "registered", "revoked", "purged", "logged",
  "confirmation_required"
]

export const resolveOptions = (gates: ReadonlyArray<GateId>, options: GateOptions = {}): ResolvedOptions => ({
  gates: options.gates ?? gates,
  include: options.include ?? ["packages/*/src/**/*.ts"],
  exclude: options.exclude ?? ["packages/gates/test/fixtures/**"],
  restartModules: options.restartModules ?? /Restart/,
  backgroundFunctions: options.backgroundFunctions ?? /cycle$/i,
  statusWriters: options.statusWriters ??
    /^(create|transition|transitionWhere|register|markRemoved)$/,
  statusWriterModules: options.statusWriterModules ?? /^(WorkspaceRepoSql|WorkspaceQueriesSql)$/,
  statusModule: options.statusModule ?? "packages/core/src/WorkspaceStatus.ts",
  transitionsModule: options.transitionsModule ?? "packages/core/src/domain/Transitions.ts",
  migrationsDir: options.migrationsDir ?? "packages/adapters/src/sql/migrations",
  otherStatusWords: options.otherStatusWords ?? defaultOtherStatusWords,
  providerModule: options.providerModule ?? "packages/core/src/ProviderDerivation.ts",
  providerScript: options.providerScript ?? "workspace-configs-templates/hermes/scripts/derive-provider.sh",
  tokenSweepModules: options.tokenSweepModules ?? /Sweep|Orphan|Liveness|Health/,
  statusSweepModules: options.statusSweepModules ?? /Health|Liveness/,
  provisionerNames: options.provisionerNames ?? /^(provisioner|prov|backend)$|Provisioner$|Prov$/,
  mintSecrets: options.mintSecrets ?? /^mintSecrets$/
})
