import { TemplateCatalogue, Templates } from "@berth/core"
import type { Template } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"

const template = (id: string): Template => ({
  id, dir: `/configs/${id}`, name: id, description: "", tier: 1, runtime: "claude-code", model: null, skills: [],
  providerRegistry: [],
  runtimeConfig: { model: null, models: [], requiredEnv: [], providers: [], provisionTimeoutSeconds: null, hibernationIdleMinutes: null }
})

// A catalogue of fixed entries: what is read from disk, and how it is cached, is the adapter's (tested there).
const catalogue = (templates: ReadonlyArray<Template>) => Layer.succeed(TemplateCatalogue, TemplateCatalogue.of({
  list: Effect.succeed(templates),
  find: (id) => Effect.succeed(Option.fromNullable(templates.find((t) => t.id === id))),
  hasDirectory: (name) => Effect.succeed(templates.some((t) => t.id === name)),
  pathOf: (name) => `/configs/${name}`
}))

describe("Templates use case (§5.9)", () => {
  it.effect("lists what the catalogue holds, in its order", () =>
    Effect.gen(function* () {
      const templates = yield* Templates
      expect((yield* templates.list()).map((t) => t.id)).toEqual(["b-team", "a-solo"])
    }).pipe(Effect.provide(Templates.Default.pipe(Layer.provide(catalogue([template("b-team"), template("a-solo")]))))))
})
