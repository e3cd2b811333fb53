/**
 * The provisioning backend, chosen ONCE at start (§1): `MOLECULE_ORG_ID` set → the CP provisioner and the EC2
 * Instance Connect terminal probe; else a Docker engine that answers a ping on `DOCKER_HOST`'s socket → the Docker
 * provisioner; else none (external workspaces only). Each backend layer provides `Provisioner` with exactly the
 * capability ports it has (Docker: `ContainerVolumes`, `ManagedContainers`; CP: `MachineConsole`); external-only mode
 * provides none of them. Whatever the mode, the workspace lifecycle and its auto-restart run over the chosen backend
 * (they skip what needs a backend when there is none).
 */
import { CpProvisioner, DockerProvisioner, EicTerminalProbe } from "@berth/adapters"
import type { ContainerVolumes, MachineConsole, ManagedContainers, Provisioner } from "@berth/core"
import { Lifecycle, RemoteTerminalProbe } from "@berth/core"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
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

/** What the Docker backend provides: the common provisioner and both container capabilities. */
export type DockerBackend = Provisioner | ContainerVolumes | ManagedContainers
/** What the CP backend provides: the common provisioner and the machine console. */
export type CpBackend = Provisioner | MachineConsole

/** External-only mode: no provisioner and no capability; core reads their absence as "no backend" (§1). */
export const none: Layer.Layer<never> = Layer.empty

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

const probeUnavailable: Layer.Layer<RemoteTerminalProbe> = Layer.succeed(RemoteTerminalProbe, remoteProbeUnavailable)

/**
 * What the backend choice gives the rest of Berth: the provisioner, the workspace lifecycle and its auto-restart
 * over it, and the remote terminal probe. The lifecycle needs persistence, the template catalogue and the
 * inbound-secret cache from the caller.
 */
export const backendOver = <A, E, R, E2 = never, R2 = never>(
  backend: Layer.Layer<A, E, R>,
  probe: Layer.Layer<RemoteTerminalProbe, E2, R2> = probeUnavailable as Layer.Layer<RemoteTerminalProbe, E2, R2>
) => Layer.mergeAll(Lifecycle.layer, probe).pipe(Layer.provideMerge(backend))

/** What every mode gives the rest of Berth; the backend ports beside them depend on the mode (read optionally). */
export type BackendServices = Layer.Layer.Success<typeof Lifecycle.layer> | RemoteTerminalProbe
/** What the lifecycle needs from the caller. */
export type BackendNeeds = Layer.Layer.Context<typeof Lifecycle.layer>

const cpBackend: Layer.Layer<CpBackend, ConfigError.ConfigError> =
  CpProvisioner.layerConfig.pipe(Layer.provide(NodeHttpClient.layer))
const dockerBackend: Layer.Layer<DockerBackend, ConfigError.ConfigError> = DockerProvisioner.layerConfig

/** The production backend of each mode. */
const backendFor = (mode: Mode): Layer.Layer<BackendServices, ConfigError.ConfigError, BackendNeeds> => {
  switch (mode) {
    case "saas":
      return backendOver(cpBackend, EicTerminalProbe.layerConfig.pipe(Layer.provide(NodeContext.layer)))
    case "self-hosted":
      return backendOver(dockerBackend)
    case "external-only":
      return backendOver(none)
  }
}

/** The backend of the configured mode, chosen and logged once at start. */
export const BackendLive = Layer.unwrapEffect(Effect.gen(function* () {
  const org = yield* orgId
  // Only without an org id does the engine matter: SaaS tenants never run local containers (§1).
  const mode = modeOf(org, Option.isNone(org) ? yield* DockerProvisioner.pingConfigured : false)
  yield* Effect.logInfo(`provisioning backend: ${mode}`)
  return backendFor(mode)
}))
