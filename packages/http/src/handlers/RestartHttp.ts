/**
 * `POST /workspaces/:id/restart` (§5.6). The handler only validates, sets `provisioning` (the status write shared with
 * auto-restart, `Reprovisioning.markProvisioning`) and hands the cycle to the workspace lifecycle, which stops and
 * provisions in the background: nothing here stops a workload, so the answer comes at once (§10.5).
 */
import { HttpApiBuilder } from "@effect/platform"
import type { HttpServerRequest } from "@effect/platform"
import {
  ConfigChoice, EventBus, Provisioner, Reprovisioning, Runtime, WorkspaceLifecycle, WorkspaceRepository
} from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { Api } from "../Api.js"
import { RestartPayload } from "../groups/Restart.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { BadRequest, Conflict, ServiceUnavailable, invalidRequestBody, orUnavailable, workspaceRemoved } from "../wire/Errors.js"
import { liveWorkspace } from "./LiveWorkspace.js"

const noBackend = new ServiceUnavailable({ error: "provisioner not available" })

/** Rule 2, word for word. */
export const externalNoop = {
  status: "noop",
  runtime: "external",
  message: "external workspaces are operator-driven — restart your local agent; platform has nothing to restart"
} as const

/** Rule 4: the body is optional; an empty one means no options, anything but a JSON object of the fields is a 400. */
const restartOptions = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const text = yield* Effect.orElseFail(request.text, () => invalidRequestBody)
    if (text.trim() === "") return {}
    const json = yield* Effect.try({ try: (): unknown => JSON.parse(text), catch: () => invalidRequestBody })
    return yield* Effect.orElseFail(Schema.decodeUnknown(RestartPayload)(json), () => invalidRequestBody)
  })

export const RestartLive = HttpApiBuilder.group(Api, "restart", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* WorkspaceRepository
    const bus = yield* EventBus
    const provisioner = yield* Provisioner
    const lifecycle = yield* WorkspaceLifecycle
    // The body is read here, not by HttpApi: it may be empty (§5.6 rule 4).
    return handlers.handleRaw("restart", ({ path, request, urlParams }) =>
      Effect.gen(function* () {
        // 1. unknown, removed, or under a paused ancestor
        const workspace = yield* liveWorkspace(path.id)
        const paused = (yield* orUnavailable(repo.ancestors(path.id))).find((a) => a.status === "paused")
        if (paused !== undefined) {
          return yield* Effect.fail(new Conflict({ error: `parent workspace "${paused.name}" is paused — resume it first` }))
        }
        // 2. external: nothing to restart, and nothing is written
        if (workspace.runtime === Runtime.EXTERNAL) return externalNoop
        // 3. no backend
        if (provisioner.kind === "none") return yield* Effect.fail(noBackend)
        // 4. options and config source
        const options = yield* restartOptions(request)
        const config = yield* ConfigChoice.forRestart({
          template: options.template ?? "",
          reapply: options.apply_template === true || options.rebuild_config === true,
          runtime: workspace.runtime
        }).pipe(Effect.mapError((e) => new BadRequest({ error: e.message })))
        const resetSession = urlParams.reset === "true" || options.reset === true
        // 5. provisioning, url cleared, WORKSPACE_PROVISIONING (source user_restart)
        const recorded = yield* orUnavailable(Reprovisioning.markProvisioning(repo, workspace, "user_restart"))
        if (Option.isNone(recorded)) return yield* Effect.fail(workspaceRemoved(path.id, null))
        yield* bus.publish(recorded.value)
        // 6. the cycle runs in the background, detached from this request
        yield* lifecycle.restartInBackground(path.id, { config, resetSession })
        return { status: "provisioning", config_dir: ConfigChoice.label(config), reset_session: resetSession } as const
      }).pipe(Effect.annotateLogs("workspace_id", path.id), Effect.withSpan("Workspaces.restart")))
  })).pipe(Layer.provide(WorkspaceAuth.layer))
