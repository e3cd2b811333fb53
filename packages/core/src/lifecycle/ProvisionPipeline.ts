/**
 * The provisioning pipeline (contract §8.1), one run per provision, shared by create and every restart cycle: entry
 * log, prepare (secrets, git identity, model env, role, parent, config files), mint secrets, start on the backend
 * under a 3-minute deadline, then exactly one outcome: the started workload recorded (Docker url / CP instance id,
 * status left `provisioning` for the agent's register), or `markProvisionFailed` with a client-safe message.
 * `withDefectGuard` turns any defect of a run into that failure, so no provision ever takes the server down.
 */
import { Cause, Data, Duration, Effect, Option } from "effect"
import { describeError } from "./CpStopRetry.js"
import * as Transitions from "../domain/Transitions.js"
import type { EventSource } from "../domain/Events.js"
import * as GitIdentity from "../domain/GitIdentity.js"
import { InboundSecretCache } from "./InboundSecretCache.js"
import { EventBus } from "../ports/EventBus.js"
import { ContainerVolumes } from "../ports/ContainerVolumes.js"
import type { StartResult, StartSpec } from "../ports/Provisioner.js"
import { Provisioner } from "../ports/Provisioner.js"
import { SecretRepository } from "../ports/SecretRepository.js"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import { InboundSecrets } from "../ports/InboundSecrets.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import type { Workspace } from "../ports/WorkspaceRecords.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { EXTERNAL } from "../domain/Runtime.js"
import { applyRuntimeModelEnv } from "../domain/RuntimeModelEnv.js"
import { ProvisionSettings } from "./ProvisionSettings.js"
import type { ConfigSource } from "./WorkspaceLifecycle.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** §8.1: the reason stored when no provisioning backend exists (source `no_backend`). */
export const NO_BACKEND_REASON =
  "no provisioning backend available — workspace requires either a Docker daemon (self-hosted) or control-plane provisioner (SaaS)"

/** §8.1: deadline of each backend call made by the pipeline (volume checks, token write, start). */
export const BACKEND_DEADLINE = Duration.minutes(3)

/** §8.1 step 2: deadline of the failure write after a defect, fresh so an expired provision deadline cannot eat it. */
export const DEFECT_WRITE_DEADLINE = Duration.seconds(10)

/** §8.2 restart preflight: neither the volume nor a template has a `config.yaml`. */
export const noConfigSourceMessage = (id: WorkspaceId): string =>
  `cannot start workspace ${id}: no config.yaml source and config volume is empty — delete the workspace or provide a template`

/** The config volumes of a container backend, absent on the CP (machines own their disks). */
type Volumes = Option.Option<ContainerVolumes["Type"]>

/**
 * Client-safe start failure (§8.1 step 6): a container start says so, a machine request is "provisioning"; the
 * backend's own message goes to the logs only.
 */
const startFailedMessage = (volumes: Volumes): string =>
  Option.isSome(volumes) ? "workspace start failed" : "provisioning failed"

/** What the pipeline reads once at start-up (the platform URL given to every workload), provided by main. */
export { ProvisionSettings } from "./ProvisionSettings.js"

/**
 * Everything a provision talks to. The backend ports are optional (`Effect.serviceOption`): without a `Provisioner`
 * there is no backend (§1 external-only), without `ContainerVolumes` no volume to check or write.
 */
export type PipelineServices =
  | WorkspaceStore
  | StatusWrites
  | InboundSecrets
  | TokenRepository
  | SecretRepository
  | EventBus
  | InboundSecretCache
  | TemplateCatalogue

/** A provision that ends without a started workload: what the client sees, the event source, and the cause for logs. */
class ProvisionAborted extends Data.TaggedError("ProvisionAborted")<{
  readonly message: string
  readonly source: Extract<EventSource, "provision" | "no_backend">
  readonly detail: unknown
}> {}

const aborted = (message: string, detail: unknown = undefined) =>
  new ProvisionAborted({ message, source: "provision", detail })
const noBackend = new ProvisionAborted({ message: NO_BACKEND_REASON, source: "no_backend", detail: undefined })

/** A backend call under the pipeline's deadline. */
export const backendCall = <A, E>(call: Effect.Effect<A, E>) => Effect.timeout(call, BACKEND_DEADLINE)

/** The table row of each way a provision fails. */
const failureRows = {
  provision: Transitions.provisionFailed,
  provision_defect: Transitions.provisionDefect,
  no_backend: Transitions.noBackend
} as const

/**
 * §8.1 step 6: `provisioning` → `failed` (guarded) with `last_sample_error = message`, recording
 * `WORKSPACE_PROVISION_FAILED` `{...extra, error, source}`, published after commit. Never fails: a raced row (no
 * longer provisioning) records nothing, and a failure to record is logged. A recorded failure is logged at WARN.
 */
export const markProvisionFailed = (
  id: WorkspaceId,
  message: string,
  source: Extract<EventSource, "provision" | "provision_defect" | "no_backend">,
  extra: Readonly<Record<string, unknown>> = {}
): Effect.Effect<void, never, StatusWrites | EventBus> =>
  Effect.gen(function* () {
    const recorded = yield* (yield* StatusWrites).transition({
      id,
      row: failureRows[source],
      input: { error: message, extra },
      set: { lastSampleError: message }
    })
    if (Option.isNone(recorded)) {
      yield* Effect.logWarning("provision failure not recorded: the workspace left provisioning meanwhile")
      return
    }
    // The operator's log says why too, next to the reason the workspace itself now shows (last_sample_error).
    yield* Effect.logWarning(`workspace ${id} failed to provision: ${message}`)
    yield* (yield* EventBus).publish(recorded.value)
  }).pipe(
    Effect.catchAll((e) => Effect.logError("failed to record the provision failure", e)),
    Effect.annotateLogs({ workspace_id: id, source })
  )

/**
 * §8.1 step 2: a defect anywhere in `self` is logged with its cause and the workspace marked failed with
 * `provision defect: <message>` (source `provision_defect`) under a fresh 10 s deadline; it is never re-raised.
 * Interruption (the layer closing) passes through untouched.
 */
export const withDefectGuard = (id: WorkspaceId) =>
<R>(self: Effect.Effect<void, never, R>): Effect.Effect<void, never, R | StatusWrites | EventBus> =>
  Effect.catchAllCause(self, (cause) =>
    Cause.isInterruptedOnly(cause)
      ? Effect.failCause(cause)
      : Effect.gen(function* () {
        const message = `provision defect: ${describeError(Cause.squash(cause))}`
        yield* Effect.logError(`Provisioner: provision defect for ${id}`, cause)
        yield* markProvisionFailed(id, message, "provision_defect").pipe(
          Effect.timeout(DEFECT_WRITE_DEADLINE),
          Effect.catchAll(() => Effect.logError(`Provisioner: recording the defect of ${id} timed out`))
        )
      }))

/** §8.1 step 3 (environment): secrets (global, then workspace), git identity, model, role, parent. */
const prepareEnv = (ws: Workspace) =>
  Effect.gen(function* () {
    const secrets = yield* (yield* SecretRepository).loadForProvision(ws.id).pipe(
      Effect.catchTags({
        SecretDecryptFailed: (e) => Effect.fail(aborted(`failed to decrypt ${e.scope} secret`, e)),
        DatastoreUnavailable: (e) => Effect.fail(aborted("failed to load secrets", e))
      })
    )
    const withIdentity = GitIdentity.applyGitIdentity(secrets, ws.name)
    // Restarts carry no model: the stored canvas pick (MODEL_PROVIDER) is the model.
    const env = applyRuntimeModelEnv(withIdentity, ws.runtime, withIdentity["MODEL_PROVIDER"] ?? "")
    if (ws.role !== null && ws.role !== "") env["MOLECULE_AGENT_ROLE"] = ws.role
    if (ws.parentId !== null) env["PARENT_ID"] = ws.parentId
    return env
  })

/** Where `/configs` comes from for this start. */
interface ConfigPlan {
  readonly templateDir: string | null
  readonly configFiles: Readonly<Record<string, string>>
}

/**
 * §8.1 step 3 (config files) and the §8.2 restart preflight: an existing Docker config volume without `config.yaml`
 * falls back to `<runtime>-default`, then `<runtime>`, else the provision fails. A volume check that errors keeps
 * the volume (never overwrite a config that may be there); the CP has no volume, so nothing is checked.
 */
const planConfig = (ws: Workspace, volumes: Volumes, source: ConfigSource) =>
  Effect.gen(function* () {
    switch (source._tag) {
      case "TemplateDir":
        return { templateDir: source.dir, configFiles: {} } satisfies ConfigPlan
      case "Generated":
        return { templateDir: null, configFiles: { "config.yaml": source.configYaml } } satisfies ConfigPlan
      case "ExistingVolume": {
        const keep: ConfigPlan = { templateDir: null, configFiles: {} }
        if (Option.isNone(volumes)) return keep
        const present = yield* backendCall(volumes.value.volumeHasFile(ws.id, "config.yaml")).pipe(
          Effect.catchAll((e) =>
            Effect.as(Effect.logWarning(`Provisioner: cannot inspect the config volume of ${ws.id}, keeping it`, e), true))
        )
        if (present) return keep
        const catalogue = yield* TemplateCatalogue
        for (const name of [`${ws.runtime}-default`, ws.runtime]) {
          if (yield* catalogue.hasDirectory(name)) {
            yield* Effect.logInfo(`Provisioner: config volume of ${ws.id} has no config.yaml, using template ${name}`)
            return { templateDir: catalogue.pathOf(name), configFiles: {} } satisfies ConfigPlan
          }
        }
        return yield* Effect.fail(aborted(noConfigSourceMessage(ws.id)))
      }
    }
  })

/**
 * §8.1 step 4, on every provision path: revoke the workspace's live tokens; Docker issues a fresh token, writes it to
 * the config volume before the start and adds it to the config files (the CP issues none: register mints it); then a
 * new platform inbound secret, written through the cache (Docker also gets it as a file). Failures are logged only.
 */
export const mintSecrets = (id: WorkspaceId, volumes: Volumes) =>
  Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const files: Record<string, string> = {}
    const logged = (what: string) => (e: unknown) => Effect.logWarning(`Provisioner: mint secrets for ${id}: ${what} failed`, e)
    yield* Effect.catchAll(tokens.revokeAll(id), logged("revoking tokens"))
    if (Option.isSome(volumes)) {
      const issued = yield* Effect.option(Effect.tapError(tokens.issue(id), logged("issuing a token")))
      if (Option.isSome(issued)) {
        const token = issued.value.token
        yield* backendCall(volumes.value.writeAuthTokenToVolume(id, token)).pipe(
          Effect.catchAll(logged("writing .auth_token to the config volume"))
        )
        files[".auth_token"] = token
      }
    }
    const secret = yield* Effect.option(Effect.tapError((yield* InboundSecrets).issueInboundSecret(id), logged("issuing the inbound secret")))
    if (Option.isSome(secret)) {
      yield* (yield* InboundSecretCache).put(id, secret.value)
      if (Option.isSome(volumes)) files[".platform_inbound_secret"] = secret.value
    }
    return files
  })

/**
 * Records a started workload: a container's url, a machine's id (the backend answers the one it has). The status
 * stays `provisioning` (§8.1 step 5).
 */
const recordStarted = (ws: Workspace, volumes: Volumes, started: StartResult) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const container = Option.isSome(volumes)
    if (container && started.url !== null) yield* store.setUrl(ws.id, started.url)
    if (!container && started.instanceId !== null) yield* store.setInstanceId(ws.id, started.instanceId)
    yield* Effect.logInfo(`Provisioner: workspace ${ws.id} started (${container ? `url=${started.url}` : `instance=${started.instanceId}`})`)
  }).pipe(Effect.catchAll((e) => Effect.logError(`Provisioner: workspace ${ws.id} started but recording it failed`, e)))

/** What a provision is asked to do. */
export interface ProvisionOptions {
  readonly config: ConfigSource
  /** Remove the claude-sessions volume before starting (restart with `reset`). */
  readonly resetSession: boolean
}

/**
 * One provision of workspace `id` (§8.1), the runtime and every other field read from the database (§11.2). A
 * removed or unknown row, or an external one, is skipped. Reaches exactly one outcome; failures are recorded, never
 * returned. Run it under `withDefectGuard`.
 */
export const provision = (id: WorkspaceId, options: ProvisionOptions): Effect.Effect<void, never, PipelineServices> =>
  Effect.gen(function* () {
    const backend = yield* Effect.serviceOption(Provisioner)
    const volumes = yield* Effect.serviceOption(ContainerVolumes)
    const row = yield* (yield* WorkspaceStore).get(id)
    if (Option.isNone(row) || row.value.status === "removed") {
      return yield* Effect.logInfo(`Provisioner: ${id} is removed or unknown, nothing to provision`)
    }
    const ws = row.value
    if (ws.runtime === EXTERNAL) return yield* Effect.logInfo(`Provisioner: ${id} is external, nothing to provision`)
    if (Option.isNone(backend)) return yield* Effect.fail(noBackend)
    const provisioner = backend.value
    yield* Effect.logInfo(`Provisioner: provision entered for ${id} (runtime=${ws.runtime}, mode=${Option.isSome(volumes) ? "docker" : "cp"})`)
    const env = yield* prepareEnv(ws)
    const config = yield* planConfig(ws, volumes, options.config)
    const secretFiles = yield* mintSecrets(id, volumes)
    const spec: StartSpec = {
      id,
      runtime: ws.runtime,
      tier: ws.tier,
      env,
      templateDir: config.templateDir,
      configFiles: { ...config.configFiles, ...secretFiles },
      workspaceDir: ws.workspaceDir,
      workspaceAccess: ws.workspaceAccess,
      platformUrl: (yield* ProvisionSettings).platformUrl,
      resetSession: options.resetSession
    }
    const started = yield* backendCall(provisioner.start(spec)).pipe(
      Effect.catchAll((e) => Effect.fail(aborted(startFailedMessage(volumes), e)))
    )
    yield* recordStarted(ws, volumes, started)
  }).pipe(
    Effect.catchTags({
      ProvisionAborted: (e) =>
        Effect.zipRight(
          Effect.logWarning(`Provisioner: provision of ${id} failed: ${e.message}`, ...(e.detail === undefined ? [] : [e.detail])),
          markProvisionFailed(id, e.message, e.source)
        ),
      DatastoreUnavailable: (e) => Effect.logError(`Provisioner: cannot read workspace ${id}`, e)
    }),
    Effect.annotateLogs("workspace_id", id),
    Effect.withSpan("ProvisionPipeline.provision", { attributes: { workspace_id: id } })
  )
