/**
 * Handlers of the workspace resource (§5.2–§5.5). Create and delete live in their own modules; both run
 * uninterruptibly, so a client hanging up never leaves half a create (or an idempotency key claimed but unanswered)
 * nor a delete that marked rows but skipped their stops.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { AgentUrl, Runtime } from "@berth/core"
import { ListPages, ProvisionDeadline, WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { Api } from "../Api.js"
import { Created } from "../groups/Workspaces.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { Internal, orUnavailable, workspaceNotFound, workspaceRemoved } from "../wire/Errors.js"
import * as Idempotency from "./Idempotency.js"
import * as Paging from "./Paging.js"
import { create } from "./WorkspaceCreate.js"
import { remove } from "./WorkspaceDelete.js"
import { toDetail, toElement } from "./WorkspaceWire.js"

/** Create checks agent URLs (§9.6) and sanitises runtimes against the allowlist (§2.2). */
export type Requires = AgentUrl.HostResolver | Runtime.RuntimeAllowlist

const queryFailed = new Internal({ error: "query failed" })

export const WorkspacesLive = HttpApiBuilder.group(Api, "workspaces", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* WorkspaceRepository
    const pages = yield* ListPages
    const idempotent = yield* Idempotency.make("POST /workspaces")
    const replay = (stored: { readonly body: unknown }) => Effect.orDie(Schema.decodeUnknown(Created)(stored.body))
    return handlers
      .handle("create", ({ headers, payload, request }) =>
        idempotent(headers["idempotency-key"], payload, { status: 201, run: create(payload, request), replay }),
        { uninterruptible: true })
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const deadlineMs = yield* ProvisionDeadline.resolverMs
          const page = Paging.requested(urlParams.cursor)
          if (page === undefined) {
            const rows = yield* repo.list.pipe(Effect.orElseFail(() => queryFailed))
            return rows.map((w) => toElement(w, deadlineMs))
          }
          const found = yield* pages.workspaces(page.after, Paging.pageSize(urlParams.limit)).pipe(
            Effect.catchTags({ InvalidInput: (e) => Effect.fail(Paging.badCursor(e)), DatastoreUnavailable: () => Effect.fail(queryFailed) })
          )
          yield* Paging.announceNext(found.nextCursor)
          return found.items.map((w) => toElement(w, deadlineMs))
        }))
      .handle("get", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const row = yield* orUnavailable(repo.get(path.id))
          if (Option.isNone(row)) return yield* Effect.fail(workspaceNotFound)
          if (row.value.status === "removed" && urlParams.include_removed !== "true") {
            return yield* Effect.fail(workspaceRemoved(path.id, row.value.updatedAt))
          }
          return toDetail(row.value, yield* ProvisionDeadline.resolverMs)
        }))
      .handle("remove", ({ path, urlParams }) => remove(path.id, urlParams), { uninterruptible: true })
  })).pipe(Layer.provide(AdminAuth.layer))
