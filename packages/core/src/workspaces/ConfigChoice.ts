/**
 * Where a provision takes `/configs` from, decided in one place for create (§5.2 rules 3 and 12) and restart (§5.6
 * rule 4), so the two routes cannot drift apart. It only asks the template catalogue which directories exist; the
 * generated `config.yaml` is `DefaultConfig.render`.
 */
import { Effect, Option } from "effect"
import * as DefaultConfig from "../domain/DefaultConfig.js"
import type { InvalidInput } from "../domain/Errors.js"
import type { Template } from "../ports/TemplateCatalogue.js"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import { RuntimeAllowlist, sanitizeRuntime } from "../domain/Runtime.js"
import type { ConfigSource } from "../lifecycle/WorkspaceLifecycle.js"
import { validateTemplatePath } from "../domain/WorkspaceFields.js"

/** The `config_dir` label of a restart that keeps the config volume (§5.6 rule 6). */
export const EXISTING_VOLUME = "existing-volume"

/** `<runtime>-default`, the runtime's own template directory (runtime sanitised against the allowlist). */
export const runtimeDefaultDir = (allowlist: ReadonlySet<string>, runtime: string): string =>
  `${sanitizeRuntime(allowlist, runtime).runtime}-default`

/** A template directory of the catalogue, when it exists. */
const directory = (id: string): Effect.Effect<Option.Option<ConfigSource>, never, TemplateCatalogue> =>
  Effect.flatMap(TemplateCatalogue, (catalogue) =>
    Effect.map(catalogue.hasDirectory(id), (exists) =>
      exists ? Option.some<ConfigSource>({ _tag: "TemplateDir", templateId: id, dir: catalogue.pathOf(id) }) : Option.none()))

/**
 * Create rule 3: the runtime and model a named template supplies when the payload leaves them empty (top-level
 * `runtime`; `runtime_config.model`, else the legacy top-level `model`). An invalid template path fails with
 * `invalid template`; an absent or unparseable template supplies nothing.
 */
/** What a template supplies to a create that leaves it out: runtime, model, idle threshold (§2.4). */
export interface TemplateDefaults {
  readonly runtime: string
  readonly model: string
  readonly hibernationIdleMinutes: number | null
}

const none: TemplateDefaults = { runtime: "", model: "", hibernationIdleMinutes: null }

export const templateDefaults = (
  template: string
): Effect.Effect<TemplateDefaults, InvalidInput, TemplateCatalogue> =>
  Effect.gen(function* () {
    if (template === "") return none
    yield* validateTemplatePath(template)
    const found: Option.Option<Template> = yield* Effect.flatMap(TemplateCatalogue, (c) => c.find(template))
    return Option.match(found, {
      onNone: () => none,
      onSome: (t) => ({
        runtime: t.runtime,
        model: t.runtimeConfig.model ?? t.model ?? "",
        hibernationIdleMinutes: t.runtimeConfig.hibernationIdleMinutes
      })
    })
  })

/** What create knows when it picks the config source. */
export interface CreateInput {
  /** Already validated by `templateDefaults` (or empty). */
  readonly template: string
  readonly name: string
  readonly role: string
  readonly runtime: string
  readonly model: string
}

/** Create rule 12: the template directory if it exists, else `<runtime>-default` if it exists, else generated. */
export const forCreate = (input: CreateInput): Effect.Effect<ConfigSource, never, TemplateCatalogue | RuntimeAllowlist> =>
  Effect.gen(function* () {
    const allowlist = yield* RuntimeAllowlist
    const named = input.template === "" ? Option.none() : yield* directory(input.template)
    if (Option.isSome(named)) return named.value
    const fallback = yield* directory(runtimeDefaultDir(allowlist, input.runtime))
    if (Option.isSome(fallback)) return fallback.value
    return { _tag: "Generated", configYaml: DefaultConfig.render(allowlist, input) } as const
  })

/** What a restart request asks for (§5.6 rule 4); `runtime` is the database's. */
export interface RestartInput {
  readonly template: string
  /** `apply_template` or `rebuild_config`. */
  readonly reapply: boolean
  readonly runtime: string
}

/**
 * Restart rule 4: an explicit `template` (validated as in create; used when its directory exists); else, when asked
 * to re-apply, `<runtime>-default` if it exists; else the config volume as it is.
 */
export const forRestart = (input: RestartInput): Effect.Effect<ConfigSource, InvalidInput, TemplateCatalogue | RuntimeAllowlist> =>
  Effect.gen(function* () {
    if (input.template !== "") {
      yield* validateTemplatePath(input.template)
      const named = yield* directory(input.template)
      if (Option.isSome(named)) return named.value
    }
    if (input.reapply) {
      const fallback = yield* directory(runtimeDefaultDir(yield* RuntimeAllowlist, input.runtime))
      if (Option.isSome(fallback)) return fallback.value
    }
    return { _tag: "ExistingVolume" } as const
  })

/** The `config_dir` a restart answers: the template id, or `existing-volume`. */
export const label = (source: ConfigSource): string =>
  source._tag === "TemplateDir" ? source.templateId : EXISTING_VOLUME
