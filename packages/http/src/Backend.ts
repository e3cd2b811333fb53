/**
 * The provisioning backend, chosen ONCE at start (§1): `MOLECULE_ORG_ID` set → the CP provisioner; else a Docker
 * engine that answers a ping → the Docker provisioner; else none (external workspaces only).
 *
 * This is the single place to switch when the CP and Docker adapters land (packages/adapters/src/cp, /docker):
 * see `choose` below.
 */
import { Provisioner, provisionerNone } from "@berth/core"
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

/** The provisioner for the configured mode, logged once. */
export const ProvisionerLive: Layer.Layer<Provisioner, import("effect/ConfigError").ConfigError> = Layer.unwrapEffect(
  Effect.gen(function* () {
    const org = yield* orgId
    const mode = modeOf(org, Option.isNone(org) ? yield* dockerPing : false)
    yield* Effect.logInfo(`provisioning backend: ${mode}`)
    // SWITCH POINT: "saas" → CpProvisioner.layerConfig, "self-hosted" → DockerProvisioner.layerConfig.
    return none
  })
)
