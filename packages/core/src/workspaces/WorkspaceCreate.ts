/**
 * Create (§5.2), rule by rule. Everything a client can get wrong is checked before the first write, so a refused
 * request changes nothing (the agent URL of an external workspace included). Container workloads are handed to the
 * workspace lifecycle, which provisions in the background (or marks the row failed when there is no backend).
 */
import { Effect, Option } from "effect"
import * as AgentUrl from "../domain/AgentUrl.js"
import * as ConfigChoice from "./ConfigChoice.js"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import { InvalidInput, WorkspaceCreateFailed } from "../domain/Errors.js"
import type { WorkspaceEvent } from "../domain/Events.js"
import * as Transitions from "../domain/Transitions.js"
import { EventBus } from "../ports/EventBus.js"
import { Provisioner } from "../ports/Provisioner.js"
import { SecretRepository } from "../ports/SecretRepository.js"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import { WorkspaceConfigStore } from "../ports/WorkspaceConfigStore.js"
import { StatusWrites } from "../ports/StatusWrites.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import * as Runtime from "../domain/Runtime.js"
import * as SecretWrites from "../secrets/SecretWrites.js"
import * as WorkspaceFields from "../domain/WorkspaceFields.js"
import * as WorkspaceId from "../domain/WorkspaceId.js"
import { WorkspaceLifecycle } from "../lifecycle/WorkspaceLifecycle.js"
import type { Created, CreateRequest } from "./CreateRequest.js"
import { invalidPayloadMessage } from "./CreateRequest.js"
import { DeploymentMode } from "../domain/DeploymentMode.js"

const parentNotFound = new InvalidInput({ message: "parent workspace not found" })

/** Logged and dropped: the steps the contract calls non-fatal. */
const nonFatal = (what: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchAll(Effect.asVoid(effect), (e) => Effect.logWarning(`create: ${what} failed`, e))

/** A datastore fault after validation started: logged, then the contract's 500. */
const failed = (what: string) => (e: DatastoreUnavailable) =>
  Effect.zipRight(Effect.logError(`create: ${what} failed`, e), Effect.fail(new WorkspaceCreateFailed()))

/** Builds the use case over its ports. */
export const make = Effect.gen(function* () {
  const store = yield* WorkspaceStore
  const statuses = yield* StatusWrites
  const bus = yield* EventBus
  const secrets = yield* SecretRepository
  const tokens = yield* TokenRepository
  const configs = yield* WorkspaceConfigStore
  const lifecycle = yield* WorkspaceLifecycle
  const config = yield* DeploymentMode
  const allowlist = yield* Runtime.RuntimeAllowlist
  const lookups = yield* Effect.context<TemplateCatalogue | Runtime.RuntimeAllowlist | AgentUrl.HostResolver>()
  // External-only mode (§1) provides no `Provisioner`: no workload will ever start, so the row keeps its config
  // document for later (§3.4).
  const noBackend = Option.isNone(yield* Effect.serviceOption(Provisioner))

  /** Rule 7: a UUID naming a non-removed workspace. */
  const parentOf = (raw: string) =>
    Effect.gen(function* () {
      if (raw === "") return null
      const id = yield* WorkspaceId.parse(raw)
      const row = yield* store.get(id).pipe(Effect.catchTag("DatastoreUnavailable", failed("parent lookup")))
      if (Option.isNone(row) || row.value.status === "removed") return yield* Effect.fail(parentNotFound)
      return id
    })

  /** Rules 1–7 (and the URL check of rule 11): the normalised row. */
  const validated = (request: CreateRequest) =>
    Effect.gen(function* () {
      // 1. `name` is required, and upstream's `binding:"required"` refuses an empty one too
      if (request.name === "") return yield* Effect.fail(new InvalidInput({ message: invalidPayloadMessage }))
      const role = request.role ?? ""
      const template = request.template ?? ""
      // 2. field shapes
      yield* WorkspaceFields.validateFields({
        name: request.name, role, model: request.model ?? "", runtime: request.runtime ?? "",
        tier: request.tier, budgetLimit: request.budgetLimit, maxConcurrentTasks: request.maxConcurrentTasks
      })
      // 3. the template fills an empty runtime or model
      const fromTemplate = yield* ConfigChoice.templateDefaults(template)
      const model = request.model || fromTemplate.model
      const requested = request.runtime || fromTemplate.runtime
      // 4. runtime, tier, task cap
      const external = request.external === true || requested.trim() === Runtime.EXTERNAL
      const sanitized = Runtime.sanitizeRuntime(allowlist, requested)
      if (!external && sanitized.rejected) yield* Effect.logWarning(Runtime.rejectedMessage(requested))
      const runtime = external ? Runtime.EXTERNAL : sanitized.runtime
      // 5. delivery mode, 6. host directory
      const deliveryMode = yield* WorkspaceFields.normaliseDeliveryMode(request.deliveryMode, runtime)
      const mount = yield* WorkspaceFields.validateWorkspaceDir(request.workspaceDir, request.workspaceAccess)
      // 7. parent
      const parentId = yield* parentOf(request.parentId ?? "")
      // 11 (checked up front, so a refused URL leaves no row behind)
      // §2.4: the workspace's own idle threshold, else the template's (null: the server's default)
      const ownIdle = yield* WorkspaceFields.validateIdleMinutes(request.hibernationIdleMinutes)
      const templateIdle = yield* WorkspaceFields.validateIdleMinutes(fromTemplate.hibernationIdleMinutes).pipe(
        Effect.catchTag("InvalidInput", (e) => Effect.as(Effect.logWarning(`template ${template}: ${e.message}; ignored`), null))
      )
      const hibernationIdleMinutes = ownIdle === undefined ? templateIdle ?? null : ownIdle
      const url = external ? request.url ?? "" : ""
      if (url !== "") yield* AgentUrl.check(url, config.saasMode)
      return {
        name: request.name, role, template, model, runtime, external, url, deliveryMode, parentId,
        workspaceDir: mount.dir ?? null, workspaceAccess: mount.access,
        tier: WorkspaceFields.normaliseTier(request.tier),
        maxConcurrentTasks: WorkspaceFields.normaliseMaxConcurrentTasks(request.maxConcurrentTasks),
        budgetLimit: request.budgetLimit ?? null,
        hibernationIdleMinutes
      }
    }).pipe(Effect.provide(lookups))

  const publish = (recorded: Option.Option<WorkspaceEvent>) => Option.match(recorded, { onNone: () => Effect.void, onSome: bus.publish })

  /** The whole create, answering one of the three `Created`s. */
  return (request: CreateRequest, platformUrl: string) =>
    Effect.gen(function* () {
      const ws = yield* validated(request)
      // 8. row and secrets in one transaction, with WORKSPACE_PROVISIONING recorded
      const created = yield* store.create({
        name: ws.name, role: ws.role === "" ? null : ws.role, tier: ws.tier, runtime: ws.runtime, parentId: ws.parentId,
        workspaceDir: ws.workspaceDir, workspaceAccess: ws.workspaceAccess, deliveryMode: ws.deliveryMode,
        budgetLimit: ws.budgetLimit, maxConcurrentTasks: ws.maxConcurrentTasks, secrets: request.secrets ?? {},
        hibernationIdleMinutes: ws.hibernationIdleMinutes,
        event: Transitions.eventFor(Transitions.created, ws)
      }).pipe(Effect.catchTags({
        SecretWriteFailed: (e) => Effect.zipRight(Effect.logError("create: secret write failed", e), Effect.fail(e)),
        DatastoreUnavailable: failed("insert")
      }))
      const id = created.workspace.id
      return yield* Effect.gen(function* () {
        // 9. the model pick (and its derived provider); 10. canvas position, then the event
        yield* nonFatal("model secret")(SecretWrites.writeModelPick(secrets, id, ws.model))
        yield* nonFatal("canvas layout")(store.setCanvasLayout(id, request.canvas?.x ?? 0, request.canvas?.y ?? 0))
        yield* bus.publish(created.event)
        // 11. external: online with its URL, or awaiting its agent with a connection block
        if (ws.external && ws.url !== "") {
          yield* publish(yield* statuses.transition({ id, row: Transitions.externalOnline, input: ws, set: { url: ws.url } }).pipe(Effect.catchTag("DatastoreUnavailable", failed("status write"))))
          return { _tag: "Online", id } satisfies Created
        }
        if (ws.external) {
          const recorded = yield* statuses.transition({ id, row: Transitions.externalAwaiting, input: ws }).pipe(Effect.catchTag("DatastoreUnavailable", failed("status write")))
          const token = yield* tokens.issue(id).pipe(
            Effect.map((issued) => issued.token),
            Effect.catchAll((e) => Effect.as(Effect.logWarning("create: token mint failed", e), ""))
          )
          yield* publish(recorded)
          return { _tag: "AwaitingAgent", id, platformUrl, token } satisfies Created
        }
        // 12. a container workload: config source, then the lifecycle (which fails the row itself without a backend)
        const source = yield* Effect.provide(ConfigChoice.forCreate(ws), lookups)
        if (noBackend) {
          yield* nonFatal("workspace config")(
            configs.put(id, { name: ws.name, runtime: ws.runtime, tier: ws.tier, template: ws.template }))
        }
        yield* lifecycle.provisionInBackground(id, source)
        return {
          _tag: "Provisioning",
          id,
          awarenessNamespace: created.workspace.awarenessNamespace ?? `workspace:${id}`,
          workspaceAccess: ws.workspaceAccess
        } satisfies Created
      }).pipe(Effect.annotateLogs("workspace_id", id))
    })
})
