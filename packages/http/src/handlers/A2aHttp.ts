/** `POST /workspaces/:id/a2a` (§5.13): reads the body and headers, calls `A2aProxy.forward`, answers what it says. */
import { HttpApiBuilder } from "@effect/platform"
import { A2aProxy } from "@berth/core"
import { Effect, Option } from "effect"
import { Api } from "../Api.js"
import { bearer } from "../guards/Credentials.js"
import { forwarded, refusals } from "../wire/A2aAnswers.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { BadRequest } from "../wire/Errors.js"

/** `X-Timeout`: whole seconds; anything else is ignored, as upstream does. */
const timeoutOf = (raw: string | undefined): Option.Option<number> =>
  raw !== undefined && /^\d{1,9}$/.test(raw.trim()) ? Option.some(Number(raw.trim())) : Option.none()

export const A2aLive = HttpApiBuilder.group(Api, "a2a", (handlers) =>
  Effect.gen(function* () {
    const proxy = yield* A2aProxy
    return handlers.handleRaw("proxy", ({ path, request }) =>
      Effect.gen(function* () {
        const body = yield* Effect.orElseFail(request.text, () => new BadRequest({ error: "failed to read request body" }))
        return yield* proxy.forward({
          target: path.id,
          caller: request.headers["x-workspace-id"] ?? "",
          bearer: bearer(request.headers),
          body,
          timeoutSeconds: timeoutOf(request.headers["x-timeout"])
        }).pipe(
          Effect.map(forwarded),
          Effect.catchTags(refusals),
          mapCoreErrors
        )
      }).pipe(Effect.withSpan("Workspaces.a2a")))
  }))
