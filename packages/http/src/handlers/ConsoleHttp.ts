/** Handler of `GET /workspaces/:id/console` (§5.12). */
import { HttpApiBuilder } from "@effect/platform"
import { Provisioner, WorkspaceRepository } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { BadGateway, NotImplemented, orUnavailable, workspaceNotFound } from "../wire/Errors.js"

const notCp = new NotImplemented({ error: "console output requires the control-plane provisioner" })

export const ConsoleLive = HttpApiBuilder.group(Api, "console", (handlers) =>
  Effect.gen(function* () {
    const provisioner = yield* Provisioner
    const workspaces = yield* WorkspaceRepository
    return handlers.handle("console", ({ path }) =>
      Effect.gen(function* () {
        if (provisioner.kind !== "cp") return yield* Effect.fail(notCp)
        const row = yield* orUnavailable(workspaces.get(path.id))
        if (Option.isNone(row)) return yield* Effect.fail(workspaceNotFound)
        const output = yield* provisioner.consoleOutput({ id: path.id, instanceId: row.value.instanceId }).pipe(
          Effect.catchTags({
            NoBackend: () => Effect.fail(notCp),
            ProvisionFailed: (e) =>
              Effect.zipRight(
                Effect.logWarning("console: CP request failed", e).pipe(Effect.annotateLogs("workspace_id", path.id)),
                Effect.fail(new BadGateway({ error: "failed to fetch console output" }))
              )
          })
        )
        return { output }
      }))
  })).pipe(Layer.provide(AdminAuth.layer))
