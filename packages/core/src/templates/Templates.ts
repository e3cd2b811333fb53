/**
 * The template catalogue as the API lists it (§5.9). How the catalogue is read and cached is its adapter's; this
 * is the use case a driver calls.
 */
import { Effect } from "effect"
import { TemplateCatalogue } from "../ports/TemplateCatalogue.js"

export class Templates extends Effect.Service<Templates>()("@berth/core/Templates", {
  effect: Effect.gen(function* () {
    const catalogue = yield* TemplateCatalogue

    /** Every template whose `config.yaml` parses (one that does not is skipped, logged by the catalogue). */
    const list = Effect.fn("Templates.list")(function* () {
      return yield* catalogue.list
    })

    return { list } as const
  })
}) {}
