/**
 * The provisioning deadline per runtime (§7.5) as the API shows it (`provision_timeout_ms`, §5.3): the same
 * `ProvisionTimeout.resolve` the timeout sweeper uses, over `PROVISION_TIMEOUT_SECONDS` and the template catalogue,
 * so canvas and sweeper agree by construction.
 */
import { Duration, Effect } from "effect"
import { ProvisionSettings } from "./ProvisionSettings.js"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import * as ProvisionTimeout from "../domain/ProvisionTimeout.js"

/** The catalogue's declared timeouts, in the resolver's shape. */
export const templateTimeouts: Effect.Effect<ReadonlyArray<ProvisionTimeout.TemplateTimeout>, never, TemplateCatalogue> =
  Effect.flatMap(TemplateCatalogue, (catalogue) =>
    Effect.map(catalogue.list, (templates) =>
      templates.map((t) => ({
        id: t.id,
        runtime: t.runtime,
        provisionTimeoutSeconds: t.runtimeConfig.provisionTimeoutSeconds ?? undefined
      }))))

/**
 * Takes the override read at start and the catalogue once (one request's worth) and returns the resolver: runtime → deadline in
 * milliseconds. Values the resolver ignored are not logged here: the sweeper warns about them.
 */
export const resolverMs: Effect.Effect<(runtime: string) => number, never, TemplateCatalogue> = Effect.gen(function* () {
  const envRaw = (yield* ProvisionSettings).provisionTimeoutSeconds
  const templates = yield* templateTimeouts
  const cache = new Map<string, number>()
  return (runtime) => {
    const known = cache.get(runtime)
    if (known !== undefined) return known
    const ms = Duration.toMillis(ProvisionTimeout.resolve(envRaw, runtime, templates).duration)
    cache.set(runtime, ms)
    return ms
  }
})
