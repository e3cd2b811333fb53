/**
 * The provisioning backend, chosen ONCE at start (§1): `MOLECULE_ORG_ID` set → the CP provisioner; else a Docker
 * engine that answers a ping → the Docker provisioner; else none (external workspaces only).
 *
 * This is the single place to switch when the CP and Docker adapters land (packages/adapters/src/cp, /docker):
 * see `choose` below.
 */
import { Lifecycle, Provisioner, provisionerNone, RemoteTerminalProbe } from "@berth/core"
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

/** External-only mode: no provisioner (every operation fails with `NoBackend`). */
export const none = Layer.succeed(Provisioner, provisionerNone)

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

/**
 * Without the CP provisioner no machine exists to probe (§5.12 remote stages): the first stage reports why. A row can
 * still hold an `instance_id` from an earlier CP deployment, so the remote branch must answer something.
 */
export const remoteProbeUnavailable = RemoteTerminalProbe.of({
  diagnose: () =>
    Effect.succeed([{
      name: "ssh-keygen",
      ok: false,
      durationMs: 0,
      error: "remote terminal diagnosis needs the control-plane provisioner, which this workspace-server does not run"
    }])
})

/** SWITCH POINT: in "saas" mode the CP adapter's probe replaces this one. */
export const RemoteProbeLive: Layer.Layer<RemoteTerminalProbe> = Layer.succeed(RemoteTerminalProbe, remoteProbeUnavailable)

/**
 * What the backend choice gives the rest of Berth: the provisioner, the workspace lifecycle and its auto-restart
 * over it (they skip what needs a backend when there is none), and the remote terminal probe. The lifecycle needs
 * persistence, the template catalogue and the inbound-secret cache from the caller.
 */
export const backendOver = <E, R>(provisioner: Layer.Layer<Provisioner, E, R>) =>
  Layer.mergeAll(Lifecycle.layer, RemoteProbeLive).pipe(Layer.provideMerge(provisioner))

/** The backend of the configured mode. */
export const BackendLive = backendOver(ProvisionerLive)
