import type { Effect, Option } from "effect"
import { Context } from "effect"

/** One entry of a template's structured provider registry (top-level `providers:`, §3.5, §5.9). */
export interface ProviderRegistryEntry {
  readonly name: string
  readonly authMode: string | null
  readonly modelPrefixes: ReadonlyArray<string>
  readonly modelAliases: ReadonlyArray<string>
  /** `""` when absent or YAML `null`: clients read it as a string. */
  readonly baseUrl: string
  readonly authEnv: ReadonlyArray<string>
}

export interface TemplateModel {
  readonly id: string
  readonly name: string
  readonly requiredEnv: ReadonlyArray<string>
}

/** A directory of `CONFIGS_DIR` with a parseable `config.yaml`; its id is the directory name (§3.5). */
export interface Template {
  readonly id: string
  /** Absolute host path of the directory, copied into `/configs` when the template is used. */
  readonly dir: string
  readonly name: string
  readonly description: string
  readonly tier: number
  readonly runtime: string
  /** Top-level `model` (legacy). */
  readonly model: string | null
  readonly skills: ReadonlyArray<string>
  readonly providerRegistry: ReadonlyArray<ProviderRegistryEntry>
  readonly runtimeConfig: {
    readonly model: string | null
    readonly models: ReadonlyArray<TemplateModel>
    readonly requiredEnv: ReadonlyArray<string>
    /** `runtime_config.providers`: provider slugs, independent of the registry. */
    readonly providers: ReadonlyArray<string>
    readonly provisionTimeoutSeconds: number | null
    /** `runtime_config.hibernation_idle_minutes`: the idle threshold create gives its workspaces (§2.4). */
    readonly hibernationIdleMinutes: number | null
  }
}

/**
 * The template catalogue (`CONFIGS_DIR`). Operators edit templates without a restart: the list may be cached for a
 * few seconds (the file-system adapter does, since `GET /workspaces` and the sweeps list it on every call).
 * A `config.yaml` that fails to parse skips only that template (logged `templates list: skip <id>: …`).
 */
export class TemplateCatalogue extends Context.Tag("@berth/core/TemplateCatalogue")<TemplateCatalogue, {
  readonly list: Effect.Effect<ReadonlyArray<Template>>
  /** The template of directory `id` (already validated as a relative name inside `CONFIGS_DIR`), if it parses. */
  readonly find: (id: string) => Effect.Effect<Option.Option<Template>>
  /** Whether `CONFIGS_DIR/<name>` is a directory (e.g. `<runtime>-default`), parseable or not. */
  readonly hasDirectory: (name: string) => Effect.Effect<boolean>
  /** Absolute path of `CONFIGS_DIR/<name>`. */
  readonly pathOf: (name: string) => string
}>() {}
