/** Handler of `GET /workspaces/:id/console` (§5.12): the core `Console` use case, its errors mapped to the wire. */
import { HttpApiBuilder } from "@effect/platform"
import { Console } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"
import { mapCoreErrors, onConsole } from "../wire/CoreErrors.js"

export const ConsoleLive = HttpApiBuilder.group(Api, "console", (handlers) =>
  Effect.gen(function* () {
    const consoleUseCase = yield* Console
    return handlers.handle("console", ({ path }) =>
      consoleUseCase.output(path.id).pipe(
        Effect.map((output) => ({ output })),
        Effect.catchTags(onConsole),
        mapCoreErrors
      ))
  })).pipe(Layer.provide(AdminAuth.layer), Layer.provide(Console.Default))
