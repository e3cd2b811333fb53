/**
 * The workspace resource as use cases (§5.2–§5.5, §5.7, §5.12 state): create (with `Idempotency-Key`), get, list and
 * its cursor pages, edit (§5.4.1), delete with purge, the state probe, and the model/provider picks. Every driver calls these; the
 * ports are yielded once, here. Failures are core's tagged errors (`WorkspaceNotFound`, `WorkspaceRemoved`,
 * `InvalidInput`, `DatastoreUnavailable`, …); drivers map them to their wire.
 */
import { Effect, Option } from "effect"
import { requireLive } from "./LiveWorkspace.js"
import { WorkspaceNotFound, WorkspaceRemoved, WorkspaceSettingWriteFailed } from "../domain/Errors.js"
import { AutoRestart } from "../lifecycle/AutoRestart.js"
import type { Page } from "../ports/ListPages.js"
import { ListPages } from "../ports/ListPages.js"
import { SecretRepository } from "../ports/SecretRepository.js"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"
import type { Workspace } from "../ports/WorkspaceRecords.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import * as ProvisionDeadline from "../lifecycle/ProvisionDeadline.js"
import { EXTERNAL } from "../domain/Runtime.js"
import * as SecretWrites from "../secrets/SecretWrites.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { WorkspaceStatus } from "../domain/WorkspaceStatus.js"
import type { CreateContext, CreateRequest } from "./CreateRequest.js"
import { Created, StoredCreated } from "./CreateRequest.js"
import * as IdempotentCreate from "./IdempotentCreate.js"
import * as WorkspaceCreate from "./WorkspaceCreate.js"
import type { RemoveOptions } from "./WorkspaceRemoval.js"
import * as WorkspaceRemoval from "./WorkspaceRemoval.js"
import type { UpdateRequest } from "./WorkspaceUpdate.js"
import * as WorkspaceUpdate from "./WorkspaceUpdate.js"

/** A workspace as shown, with its provisioning deadline (§7.5; null for external workspaces, which have none). */
export interface WorkspaceView {
  readonly workspace: Workspace
  readonly provisionTimeoutMs: number | null
}

/** The two per-workspace picks of §5.7 and the secret each is stored under. */
export type Setting = "model" | "provider"
const settingKey = { model: SecretWrites.MODEL_KEY, provider: SecretWrites.PROVIDER_KEY } as const

/** The key scope of create's `Idempotency-Key` records (stored: do not rename). */
const CREATE_SCOPE = "POST /workspaces"

export class Workspaces extends Effect.Service<Workspaces>()("@berth/core/Workspaces", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const pages = yield* ListPages
    const secrets = yield* SecretRepository
    const autoRestart = yield* AutoRestart
    const catalogue = yield* TemplateCatalogue
    const createOnce = yield* WorkspaceCreate.make
    const removeTree = yield* WorkspaceRemoval.make
    const edit = yield* WorkspaceUpdate.make
    // 201 is the status create answers; the key store records it beside the answer.
    const idempotent = yield* IdempotentCreate.make(CREATE_SCOPE, Created, StoredCreated, 201)

    /** The deadline resolver, read once per call (one request's worth). */
    const viewer = Effect.map(
      Effect.provideService(ProvisionDeadline.resolverMs, TemplateCatalogue, catalogue),
      (deadlineMs) => (workspace: Workspace): WorkspaceView => ({
        workspace,
        provisionTimeoutMs: workspace.runtime === EXTERNAL ? null : deadlineMs(workspace.runtime)
      })
    )

    /** The row a `/workspaces/:id/…` use case acts on: unknown → `WorkspaceNotFound`, `removed` → `WorkspaceRemoved`. */
    const live = (id: WorkspaceId) => requireLive(store, id)

    /** §5.2: validates, stores, and starts provisioning (or brings an external workspace online / awaiting its agent). */
    const create = Effect.fn("Workspaces.create")(function* (request: CreateRequest, context: CreateContext) {
      return yield* idempotent({ key: context.idempotencyKey, fingerprint: context.fingerprint }, createOnce(request, context.platformUrl))
    })

    /** §5.3: every non-removed workspace, in creation order. */
    const list = Effect.fn("Workspaces.list")(function* () {
      const view = yield* viewer
      return (yield* store.list).map(view)
    })

    /** §5.3 opt-in paging: the page after `cursor` (null: the first); a cursor not handed out fails `InvalidInput`. */
    const page = Effect.fn("Workspaces.page")(function* (cursor: string | null, limit: number) {
      const view = yield* viewer
      const found = yield* pages.workspaces(cursor, limit)
      return { items: found.items.map(view), nextCursor: found.nextCursor } satisfies Page<WorkspaceView>
    })

    /** §5.4: one workspace; a `removed` one only with `includeRemoved`. */
    const get = Effect.fn("Workspaces.get")(function* (id: WorkspaceId, options: { readonly includeRemoved: boolean }) {
      const row = yield* store.get(id)
      if (Option.isNone(row)) return yield* Effect.fail(new WorkspaceNotFound({ id }))
      if (row.value.status === "removed" && !options.includeRemoved) {
        return yield* Effect.fail(new WorkspaceRemoved({ id, removedAt: row.value.updatedAt }))
      }
      return (yield* viewer)(row.value)
    })

    /** §5.12 state: the status of a live workspace. */
    const state = Effect.fn("Workspaces.state")(function* (id: WorkspaceId) {
      const w = yield* live(id)
      return { id: w.id, status: w.status } satisfies { readonly id: WorkspaceId; readonly status: WorkspaceStatus }
    })

    /** §5.4.1: edits the fields present in `request`, each validated as create validates it. */
    const update = Effect.fn("Workspaces.update")(function* (id: WorkspaceId, request: UpdateRequest) {
      return yield* edit(id, request)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** §5.5: marks the subtree removed, stops its workloads, and purges when asked. */
    const remove = Effect.fn("Workspaces.remove")(function* (id: WorkspaceId, options: RemoveOptions) {
      return yield* removeTree(id, options)
    })

    /** §5.7: the workspace's own pick, if it has one (none: the default applies). */
    const pick = Effect.fn("Workspaces.pick")(function* (id: WorkspaceId, setting: Setting) {
      yield* live(id)
      const key = settingKey[setting]
      return yield* secrets.getWorkspace(id, key).pipe(
        Effect.tapErrorTag("SecretDecryptFailed", (e) => Effect.logError(`${key}: decrypt failed`, e))
      )
    })

    /** §5.7: saves the pick, or clears it when `value` is empty; then asks for one auto-restart. */
    const choose = Effect.fn("Workspaces.choose")(function* (id: WorkspaceId, setting: Setting, value: string) {
      yield* live(id)
      const key = settingKey[setting]
      const outcome = yield* SecretWrites.write(secrets, id, key, value).pipe(Effect.catchAll((e) =>
        Effect.zipRight(
          Effect.logError(`${key}: write failed`, e),
          Effect.fail(new WorkspaceSettingWriteFailed({
            setting,
            operation: value === "" ? "clear" : e._tag === "SecretWriteFailed" && e.operation === "encrypt" ? "encrypt" : "save"
          }))
        )))
      yield* autoRestart.request(id, "auto_restart")
      return outcome
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    return { create, list, page, get, state, update, remove, pick, choose } as const
  })
}) {}

