/**
 * `POST /workspaces/:id/restart` (§5.6): reads the optional body, calls the core `Restart` use case (which validates,
 * sets `provisioning` and hands the cycle to the workspace lifecycle, so the answer comes at once, §10.5) and maps
 * its outcome and errors to the wire.
 */
import { HttpApiBuilder } from "@effect/platform"
import type { HttpServerRequest } from "@effect/platform"
import type { RestartOptions } from "@berth/core"
import { ConfigChoice, Errors, Restart, Runtime } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { Api } from "../Api.js"
import { RestartPayload } from "../groups/Restart.js"
import * as WorkspaceAuth from "../guards/WorkspaceAuth.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { invalidRequestBody } from "../wire/Errors.js"

/** Rule 2, word for word. */
export const externalNoop = {
  status: "noop",
  runtime: Runtime.EXTERNAL,
  message: "external workspaces are operator-driven — restart your local agent; platform has nothing to restart"
} as const

const invalidBody = new Errors.InvalidInput({ message: invalidRequestBody.error })

/** Rule 4: the body is optional; an empty one means no options, anything but a JSON object of the fields is a 400. */
const restartOptions = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<RestartOptions, Errors.InvalidInput> =>
  Effect.gen(function* () {
    const text = yield* Effect.orElseFail(request.text, () => invalidBody)
    if (text.trim() === "") return { template: "", reapply: false, reset: false }
    const json = yield* Effect.try({ try: (): unknown => JSON.parse(text), catch: () => invalidBody })
    const options = yield* Effect.orElseFail(Schema.decodeUnknown(RestartPayload)(json), () => invalidBody)
    return {
      template: options.template ?? "",
      reapply: options.apply_template === true || options.rebuild_config === true,
      reset: options.reset === true
    }
  })

export const RestartLive = HttpApiBuilder.group(Api, "restart", (handlers) =>
  Effect.gen(function* () {
    const restart = yield* Restart
    // The body is read here, not by HttpApi: it may be empty (§5.6 rule 4).
    return handlers.handleRaw("restart", ({ path, request, urlParams }) =>
      restart.restart(path.id, { options: restartOptions(request), resetQuery: urlParams.reset === "true" }).pipe(
        Effect.map((outcome) =>
          outcome._tag === "External"
            ? externalNoop
            : { status: "provisioning", config_dir: ConfigChoice.label(outcome.config), reset_session: outcome.resetSession } as const
        ),
        mapCoreErrors,
        Effect.withSpan("Workspaces.restart")
      ))
  })).pipe(Layer.provide(WorkspaceAuth.layer), Layer.provide(Restart.Default))
