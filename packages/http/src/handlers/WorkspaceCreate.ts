/**
 * `POST /workspaces` (§5.2), rule by rule. Everything a client can get wrong is checked before the first write, so a
 * 400 changes nothing (the agent URL of an external workspace included). Container workloads are handed to the
 * workspace lifecycle, which provisions in the background (or marks the row failed when there is no backend).
 */
import type { HttpServerRequest } from "@effect/platform"
import {
  AgentUrl, ConfigChoice, EventBus, Provisioner, Runtime, SecretRepository, SecretWrites, TokenRepository, Transitions,
  WorkspaceConfigStore, WorkspaceFields, WorkspaceId, WorkspaceLifecycle, WorkspaceRepository
} from "@berth/core"
import type { Errors, Events } from "@berth/core"
import { Effect, Option, Schema } from "effect"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import type { Created, CreatePayload } from "../groups/Workspaces.js"
import { invalidWorkspacePayload } from "../groups/Workspaces.js"
import { BadRequest, Internal, invalidWorkspaceId } from "../wire/Errors.js"
import { connection, platformUrl } from "./ExternalConnection.js"

const badRequest = (e: Errors.InvalidInput) => new BadRequest({ error: e.message })
const parentNotFound = new BadRequest({ error: "parent workspace not found" })
const failedToCreate = new Internal({ error: "failed to create workspace" })
const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

/** Logged and dropped: the steps the contract calls non-fatal. */
const nonFatal = (what: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchAll(Effect.asVoid(effect), (e) => Effect.logWarning(`create: ${what} failed`, e))

/** Rule 7: a UUID naming a non-removed workspace. */
const parentOf = (raw: string) =>
  Effect.gen(function* () {
    if (raw === "") return null
    const id = yield* Option.match(decodeId(raw), { onNone: () => Effect.fail(invalidWorkspaceId), onSome: Effect.succeed })
    const row = yield* Effect.flatMap(WorkspaceRepository, (repo) => repo.get(id)).pipe(Effect.orElseFail(() => failedToCreate))
    if (Option.isNone(row) || row.value.status === "removed") return yield* Effect.fail(parentNotFound)
    return id
  })

/** Rules 1–7 (and the URL check of rule 11): the normalised row, or the contract's 400. */
const validated = (payload: typeof CreatePayload.Type) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const allowlist = yield* Runtime.RuntimeAllowlist
    // 1. `name` is required, and Go's `binding:"required"` refuses an empty one too
    if (payload.name === "") return yield* Effect.fail(new BadRequest({ error: invalidWorkspacePayload }))
    const role = payload.role ?? ""
    const template = payload.template ?? ""
    // 2. field shapes
    yield* WorkspaceFields.validateFields({
      name: payload.name, role, model: payload.model ?? "", runtime: payload.runtime ?? "",
      tier: payload.tier ?? undefined, budgetLimit: payload.budget_limit ?? undefined,
      maxConcurrentTasks: payload.max_concurrent_tasks ?? undefined
    })
    // 3. the template fills an empty runtime or model
    const fromTemplate = yield* ConfigChoice.templateDefaults(template)
    const model = payload.model || fromTemplate.model
    const requested = payload.runtime || fromTemplate.runtime
    // 4. runtime, tier, task cap
    const external = payload.external === true || requested.trim() === Runtime.EXTERNAL
    const sanitized = Runtime.sanitizeRuntime(allowlist, requested)
    if (!external && sanitized.rejected) yield* Effect.logWarning(Runtime.rejectedMessage(requested))
    const runtime = external ? Runtime.EXTERNAL : sanitized.runtime
    // 5. delivery mode, 6. host directory
    const deliveryMode = yield* WorkspaceFields.normaliseDeliveryMode(payload.delivery_mode ?? undefined, runtime)
    const mount = yield* WorkspaceFields.validateWorkspaceDir(payload.workspace_dir ?? undefined, payload.workspace_access ?? undefined)
    // 7. parent
    const parentId = yield* parentOf(payload.parent_id ?? "")
    // 11 (checked up front, so a refused URL leaves no row behind)
    const url = external ? payload.url ?? "" : ""
    if (url !== "") yield* AgentUrl.check(url, config.saasMode)
    return {
      name: payload.name, role, template, model, runtime, external, url, deliveryMode, parentId,
      workspaceDir: mount.dir ?? null, workspaceAccess: mount.access,
      tier: WorkspaceFields.normaliseTier(payload.tier ?? undefined),
      maxConcurrentTasks: WorkspaceFields.normaliseMaxConcurrentTasks(payload.max_concurrent_tasks ?? undefined),
      budgetLimit: payload.budget_limit ?? null
    }
  }).pipe(Effect.catchTag("InvalidInput", (e) => Effect.fail(badRequest(e))))

/** The whole create; the answer is one of the three 201 bodies. */
export const create = (payload: typeof CreatePayload.Type, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const repo = yield* WorkspaceRepository
    const bus = yield* EventBus
    const ws = yield* validated(payload)
    // 8. row and secrets in one transaction, with WORKSPACE_PROVISIONING recorded
    const created = yield* repo.create({
      name: ws.name, role: ws.role === "" ? null : ws.role, tier: ws.tier, runtime: ws.runtime, parentId: ws.parentId,
      workspaceDir: ws.workspaceDir, workspaceAccess: ws.workspaceAccess, deliveryMode: ws.deliveryMode,
      budgetLimit: ws.budgetLimit, maxConcurrentTasks: ws.maxConcurrentTasks, secrets: payload.secrets ?? {},
      event: Transitions.eventFor(Transitions.created, ws)
    }).pipe(Effect.catchTags({
      SecretWriteFailed: (e) => Effect.zipRight(
        Effect.logError("create: secret write failed", e),
        Effect.fail(new Internal({ error: `failed to ${e.operation} secret: ${e.key}` }))),
      DatastoreUnavailable: (e) => Effect.zipRight(Effect.logError("create: insert failed", e), Effect.fail(failedToCreate))
    }))
    const id = created.workspace.id
    return yield* Effect.gen(function* () {
      // 9. the model pick (and its derived provider); 10. canvas position, then the event
      yield* nonFatal("model secret")(SecretWrites.writeModelPick(yield* SecretRepository, id, ws.model))
      yield* nonFatal("canvas layout")(repo.setCanvasLayout(id, payload.canvas?.x ?? 0, payload.canvas?.y ?? 0))
      yield* bus.publish(created.event)
      const publish = (recorded: Option.Option<Events.WorkspaceEvent>) =>
        Option.match(recorded, { onNone: () => Effect.void, onSome: bus.publish })
      // 11. external: online with its URL, or awaiting its agent with a connection block
      if (ws.external && ws.url !== "") {
        yield* publish(yield* repo.transition({
          id, row: Transitions.externalOnline, input: ws, set: { url: ws.url }
        }).pipe(Effect.orElseFail(() => failedToCreate)))
        return { id, external: true, status: "online" } as const satisfies typeof Created.Type
      }
      if (ws.external) {
        const recorded = yield* repo.transition({ id, row: Transitions.externalAwaiting, input: ws }).pipe(Effect.orElseFail(() => failedToCreate))
        const token = yield* Effect.flatMap(TokenRepository, (t) => t.issue(id)).pipe(
          Effect.map((issued) => issued.token),
          Effect.catchAll((e) => Effect.as(Effect.logWarning("create: token mint failed", e), ""))
        )
        yield* publish(recorded)
        const url = platformUrl(config.externalPlatformUrl, request.headers)
        return { id, external: true, status: "awaiting_agent", connection: connection(url, id, token) } as const satisfies typeof Created.Type
      }
      // 12. a container workload: config source, then the lifecycle (which fails the row itself without a backend)
      const source = yield* ConfigChoice.forCreate(ws)
      if (Option.isNone(yield* Effect.serviceOption(Provisioner))) {
        yield* nonFatal("workspace config")(Effect.flatMap(WorkspaceConfigStore, (store) =>
          store.put(id, { name: ws.name, runtime: ws.runtime, tier: ws.tier, template: ws.template })))
      }
      yield* Effect.flatMap(WorkspaceLifecycle, (lifecycle) => lifecycle.provisionInBackground(id, source))
      return {
        id,
        status: "provisioning",
        awareness_namespace: created.workspace.awarenessNamespace ?? `workspace:${id}`,
        workspace_access: ws.workspaceAccess
      } as const satisfies typeof Created.Type
    }).pipe(Effect.annotateLogs("workspace_id", id))
  }).pipe(Effect.withSpan("Workspaces.create"))
