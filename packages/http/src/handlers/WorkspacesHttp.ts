/**
 * Handlers of the workspace resource (§5.2–§5.5): decode, one `Workspaces` call, encode. Create and delete run
 * uninterruptibly, so a client hanging up never leaves half a create (or an idempotency key claimed but unanswered)
 * nor a delete that marked rows but skipped their stops.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Workspaces } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { Internal } from "../wire/Errors.js"
import { fingerprint } from "../wire/RequestFingerprint.js"
import { toCreated, toCreateRequest } from "./CreateWire.js"
import { platformUrl } from "./ExternalConnection.js"
import * as Paging from "./Paging.js"
import { toDetail, toElement } from "./WorkspaceWire.js"

/** The list's own 500 (§5.3), not the guards' 503. */
const queryFailed = new Internal({ error: "query failed" })

export const WorkspacesLive = HttpApiBuilder.group(Api, "workspaces", (handlers) =>
  Effect.gen(function* () {
    const workspaces = yield* Workspaces
    const config = yield* EdgeConfig
    return handlers
      .handle("create", ({ headers, payload, request }) =>
        workspaces.create(toCreateRequest(payload), {
          idempotencyKey: headers["idempotency-key"],
          fingerprint: fingerprint(payload),
          platformUrl: platformUrl(config.externalPlatformUrl, request.headers, config.basePath)
        }).pipe(Effect.map(toCreated), mapCoreErrors),
        { uninterruptible: true })
      .handle("list", ({ urlParams }) => {
        const page = Paging.requested(urlParams.cursor)
        const listed = page === undefined
          ? workspaces.list()
          : Effect.tap(workspaces.page(page.after, Paging.pageSize(urlParams.limit)), (found) => Paging.announceNext(found.nextCursor))
            .pipe(Effect.map((found) => found.items))
        return listed.pipe(
          Effect.map((views) => views.map(toElement)),
          Effect.catchTag("DatastoreUnavailable", () => Effect.fail(queryFailed)),
          mapCoreErrors
        )
      })
      .handle("get", ({ path, urlParams }) =>
        workspaces.get(path.id, { includeRemoved: urlParams.include_removed === "true" }).pipe(Effect.map(toDetail), mapCoreErrors))
      .handle("remove", ({ path, urlParams }) =>
        workspaces.remove(path.id, { confirm: urlParams.confirm === "true", purge: urlParams.purge === "true" }).pipe(
          Effect.map((r) => ({ status: r.purged ? "purged" as const : "removed" as const, cascade_deleted: r.cascadeDeleted })),
          mapCoreErrors
        ), { uninterruptible: true })
  })).pipe(Layer.provide(AdminAuth.layer))
