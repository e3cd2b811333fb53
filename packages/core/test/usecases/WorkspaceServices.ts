/** The workspace use cases over a harness database in external-only mode, as the workspace tests build them. */
import type { Template } from "@berth/core"
import { AgentUrl, DeploymentMode, InboundSecretCache, Lifecycle, Runtime, TemplateCatalogue, Workspaces } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import type { Persistence } from "@berth/adapters"
import type { Database } from "./Harness.js"

/** The one template `find` knows: it sets only an idle threshold (§2.4), so create's precedence can be seen. */
export const idleTemplate: Template = {
  id: "idle-template", dir: "/templates/idle-template", name: "Idle", description: "", tier: 0, runtime: "",
  model: null, skills: [], providerRegistry: [],
  runtimeConfig: { model: null, models: [], requiredEnv: [], providers: [], provisionTimeoutSeconds: null, hibernationIdleMinutes: 7 }
}

/** A catalogue without template directories: every container workload gets the generated config. */
const noTemplates = Layer.succeed(TemplateCatalogue, {
  list: Effect.succeed([]),
  find: (id) => Effect.succeed(id === idleTemplate.id ? Option.some(idleTemplate) : Option.none()),
  hasDirectory: () => Effect.succeed(false),
  pathOf: (name) => `/templates/${name}`
})

/** Every agent host resolves to one public address, so the URL check passes without DNS. */
const publicHosts = Layer.succeed(AgentUrl.HostResolver, { resolve: () => Effect.succeed(["93.184.216.34"]) })

/** External-only mode: no provisioner, the real lifecycle over it. */
// External-only mode (§1): no `Provisioner`, the lifecycle over nothing.
const backend = Lifecycle.layer

const build = (db: Database): Layer.Layer<
  Workspaces | Layer.Layer.Success<typeof backend> | Persistence.Services | TemplateCatalogue | AgentUrl.HostResolver |
  Runtime.RuntimeAllowlist | DeploymentMode | InboundSecretCache,
  Persistence.StartError
> =>
  Workspaces.Default.pipe(
    Layer.provideMerge(backend),
    Layer.provideMerge(Layer.mergeAll(
      noTemplates,
      publicHosts,
      Layer.succeed(Runtime.RuntimeAllowlist, Runtime.fallbackAllowlist),
      Layer.succeed(DeploymentMode, { saasMode: false }),
      InboundSecretCache.Default
    )),
    Layer.provideMerge(db.persistence)
  )

export const once = (fingerprint = "body") => ({ idempotencyKey: undefined, fingerprint, platformUrl: "https://berth.test" })

/** The use cases over `db` (annotated, so the layer's type stays portable). */
export const services = build
