/**
 * The provisioning backend, chosen ONCE at start (§1): `MOLECULE_ORG_ID` set → the CP provisioner; else a Docker
 * engine that answers a ping → the Docker provisioner; else none (external workspaces only).
 *
 * This is the single place to switch when the CP and Docker adapters land (packages/adapters/src/cp, /docker):
 * see `choose` below.
 */
import { AutoRestart, Provisioner, provisionerNone } from "@berth/core"
import type { ConfigError } from "effect"
import { Config, Effect, Layer, Option } from "effect"

export type Mode = "saas" | "self-hosted" | "external-only"

/** §1 mode table; `dockerAnswers` is the start-up ping's result. */
export const modeOf = (orgId: Option.Option<string>, dockerAnswers: boolean): Mode =>
  Option.isSome(orgId) ? "saas" : dockerAnswers ? "self-hosted" : "external-only"

const orgId = Config.string("MOLECULE_ORG_ID").pipe(
  Config.option,
  Config.map(Option.filter((s) => s.trim() !== ""))
)

// SWITCH POINT: until the Docker adapter exports `ping`, no engine is assumed to answer.
const dockerPing: Effect.Effect<boolean> = Effect.succeed(false)

const none = Layer.succeed(Provisioner, provisionerNone)

/**
 * External-only mode has nothing to restart: §5.6 skips an auto-restart when there is no backend. This stands in
 * until the workspace lifecycle's AutoRestart (which serializes real restart cycles) is composed here.
 */
export const autoRestartNoBackend = AutoRestart.of({
  request: (id, source) =>
    Effect.logInfo("auto-restart skipped: no provisioning backend").pipe(
      Effect.annotateLogs({ workspace_id: id, source })
    )
})

/** The provisioner for the configured mode, logged once. */
export const ProvisionerLive: Layer.Layer<Provisioner, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const org = yield* orgId
    const mode = modeOf(org, Option.isNone(org) ? yield* dockerPing : false)
    yield* Effect.logInfo(`provisioning backend: ${mode}`)
    // SWITCH POINT: "saas" → CpProvisioner.layerConfig, "self-hosted" → DockerProvisioner.layerConfig.
    return none
  })
)

/** SWITCH POINT: the lifecycle's AutoRestart replaces this once it exists (it needs the provisioner above). */
export const AutoRestartLive: Layer.Layer<AutoRestart> = Layer.succeed(AutoRestart, autoRestartNoBackend)

/** What the backend choice gives the rest of Berth. */
export const BackendLive = Layer.merge(ProvisionerLive, AutoRestartLive)
