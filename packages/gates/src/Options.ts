import type { GateId } from "./Finding.js"

/**
 * What the gates look at. Every field has a default that fits Berth's own layout, so `runGates(".")` needs none; a
 * project overrides what differs in its `berth.gates.json` (see `Config.ts`) or in the options of a call.
 *
 * Target fields are globs relative to the project root (`**`, `*`, `?`, `{a,b}`). A gate whose targets match no
 * file fails with a "no target found" finding: a renamed or moved module must be pointed at, never skipped.
 */
export interface GateOptions {
  /** Run only these gates (default: all). */
  readonly gates?: ReadonlyArray<GateId>
  /** Globs of the TypeScript files to scan. */
  readonly include?: ReadonlyArray<string>
  /** Globs never scanned, on top of `**\/*.d.ts` and `node_modules`. */
  readonly exclude?: ReadonlyArray<string>
  /** Restart and auto-restart modules (no-inline-stop-in-restart, cp-stop-only-through-retry). */
  readonly restartModules?: ReadonlyArray<string>
  /** Named functions that are background programs by construction, e.g. `restartCycle` (default `/cycle$/i`). */
  readonly backgroundFunctions?: RegExp
  /** The repository's status-writing functions (bound-status-writes), by the name the function is known by. */
  readonly statusWriters?: RegExp
  /** Modules holding the status-writing functions; a status write elsewhere is a finding. */
  readonly statusWriterModules?: ReadonlyArray<string>
  /** Core's status list module (`export const statuses = [...] as const`): a glob that should match one file. */
  readonly statusModule?: string
  /** Core's transition table (rows `{ from, to, … }`; sweep rows add `runtimes` and `clock`): a glob that should match one file (bound-status-writes, external-exemption). */
  readonly transitionsModule?: string
  /** Folder holding the SQL migrations (status-enum-drift). */
  readonly migrationsDir?: string
  /** Status-like words that are not workspace statuses (wire answers, activity rows), allowed by status-enum-drift. */
  readonly otherStatusWords?: ReadonlyArray<string>
  /** Core's provider table module (provider-drift): a glob that should match one file. */
  readonly providerModule?: string
  /** The template's provider script, relative to the project root (provider-drift). */
  readonly providerScript?: string
  /** Modules whose token revocations must exempt external workspaces (external-exemption). */
  readonly tokenSweepModules?: ReadonlyArray<string>
  /** Modules whose workspace status updates must exempt (or explicitly scope) external workspaces. */
  readonly statusSweepModules?: ReadonlyArray<string>
  /** Receivers recognised as a provisioner in `x.start(…)` (secrets-minted-on-every-provision), by last name. */
  readonly provisionerNames?: RegExp
  /** The mint-secrets step, matched against the called function's name. */
  readonly mintSecrets?: RegExp
  /** Core's modules (hexagonal-boundary). */
  readonly coreModules?: ReadonlyArray<string>
  /** The HTTP driver's modules (http-uses-no-persistence-port). */
  readonly httpModules?: ReadonlyArray<string>
  /** Core's port modules: every tag class they export is a persistence port unless listed below. */
  readonly portModules?: ReadonlyArray<string>
  /** Ports of core that are not persistence (backends, capabilities, the bus): http may use them. */
  readonly nonPersistencePorts?: ReadonlyArray<string>
  /** The test kit (testing-kit-apart): only tests, benches and the kit itself may import it. */
  readonly testKitModules?: ReadonlyArray<string>
  /** The import specifier the test kit is published under. */
  readonly testKitSpecifier?: string
  /** The behaviour contract's documents, whose `## §N …` headings the citations must name (contract-references). */
  readonly contractDocs?: ReadonlyArray<string>
  /** Files whose `§N` citations are checked, any type (TypeScript and Markdown by default). */
  readonly contractSources?: ReadonlyArray<string>
}

export type ResolvedOptions = { readonly [K in keyof GateOptions]-?: NonNullable<GateOptions[K]> }

/**
 * Words the contract uses as `status` of things other than a workspace: HTTP answers (§5: `{"status":"saved"}`…)
 * and activity rows (§3.4 `ok|error|timeout`). status-enum-drift accepts them so that only true typos and unknown
 * workspace statuses fail.
 */
export const defaultOtherStatusWords: ReadonlyArray<string> = [
  "ok", "error", "timeout",
  "noop", "saved", "cleared", "deleted", "updated", "registered", "revoked", "purged", "logged",
  "confirmation_required"
]

/** Berth's layout. Globs over folders where a gate allows it, so modules moving into feature folders stay covered. */
export const defaultOptions = (gates: ReadonlyArray<GateId>): ResolvedOptions => ({
  gates,
  include: ["packages/*/src/**/*.ts"],
  exclude: ["packages/gates/test/fixtures/**"],
  restartModules: ["packages/*/src/**/*Restart*.ts"],
  backgroundFunctions: /cycle$/i,
  statusWriters: /^(create|transition|transitionWhere|register|markRemoved)$/,
  statusWriterModules: ["packages/adapters/src/**/{WorkspaceStoreSql,StatusWritesSql,AgentRegistrationsSql}.ts"],
  statusModule: "packages/core/src/**/WorkspaceStatus.ts",
  transitionsModule: "packages/core/src/**/Transitions.ts",
  migrationsDir: "packages/adapters/src/sql/migrations",
  otherStatusWords: defaultOtherStatusWords,
  providerModule: "packages/core/src/**/ProviderDerivation.ts",
  providerScript: "workspace-configs-templates/hermes/scripts/derive-provider.sh",
  tokenSweepModules: ["packages/*/src/**/*{Sweep,Orphan,Liveness,Health}*.ts", "packages/*/src/sweeps/**/*.ts"],
  statusSweepModules: ["packages/*/src/**/*{Health,Liveness}*.ts"],
  provisionerNames: /^(provisioner|prov|backend)$|Provisioner$|Prov$/,
  mintSecrets: /^mintSecrets$/,
  coreModules: ["packages/core/src/**/*.ts"],
  httpModules: ["packages/http/src/**/*.ts"],
  portModules: ["packages/core/src/ports/**/*.ts"],
  nonPersistencePorts: [
    "Provisioner", "ContainerVolumes", "ManagedContainers", "MachineConsole", "RemoteTerminalProbe", "AgentTransport",
    "EventBus", "Leadership", "TemplateCatalogue"
  ],
  testKitModules: ["packages/adapters/src/testing/**/*.ts"],
  testKitSpecifier: "@berth/adapters/testing",
  contractDocs: ["docs/contract/**/*.md"],
  contractSources: ["{packages,bench,examples}/**/*.{ts,md}", "docs/**/*.md", "README.md"]
})

/** Explicit options win over the project's config file, which wins over the defaults (an absent field never overrides). */
export const resolveOptions = (
  gates: ReadonlyArray<GateId>, fromFile: GateOptions = {}, options: GateOptions = {}
): ResolvedOptions => ({ ...defaultOptions(gates), ...fromFile, ...options })
