import { TemplateCatalogueFs } from "@berth/adapters"
import { TemplateCatalogue } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { NodeFileSystem } from "@effect/platform-node"
import { Duration, Effect, Layer, Logger, Option, Ref, TestClock } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.join(here, "fixtures")
const berthTemplates = path.resolve(here, "../../../../workspace-configs-templates")

/** The production (cached) catalogue over `dir`, on the real file system. */
const over = (dir: string) => TemplateCatalogueFs.layer(dir).pipe(Layer.provide(NodeFileSystem.layer))

/** Collect log lines so the skip message can be asserted. */
const capture = <A, E>(eff: Effect.Effect<A, E, TemplateCatalogue>) =>
  Effect.gen(function* () {
    const lines = yield* Ref.make<ReadonlyArray<string>>([])
    const logger = Logger.make(({ message }) => {
      const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
      Effect.runSync(Ref.update(lines, (l) => [...l, text]))
    })
    const value = yield* eff.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return { value, lines: yield* Ref.get(lines) }
  })

describe("TemplateCatalogueFs over fixtures", () => {
  it.effect("lists only parseable templates, skipping malformed and string-shaped providers with a log", () =>
    Effect.gen(function* () {
      const cat = yield* TemplateCatalogue
      const { value, lines } = yield* capture(cat.list)
      expect(value.map((t) => t.id)).toEqual(["good", "nulls"])
      expect(lines.some((l) => l.startsWith("templates list: skip broken: yaml.Unmarshal: "))).toBe(true)
      expect(lines.some((l) => l.startsWith("templates list: skip stringprov: yaml.Unmarshal: "))).toBe(true)
    }).pipe(Effect.provide(over(fixtures))))

  it.effect("reads every key, keeps registry order, and slugs independent of the registry", () =>
    Effect.gen(function* () {
      const cat = yield* TemplateCatalogue
      const t = Option.getOrThrow(yield* cat.find("good"))
      expect(t.dir).toBe(path.join(fixtures, "good"))
      expect([t.name, t.description, t.tier, t.runtime, t.model]).toEqual(["Good", "a good one", 3, "hermes", "top-model"])
      expect(t.skills).toEqual(["a", "b"])
      expect(t.providerRegistry).toEqual([
        { name: "second", authMode: "api_key", modelPrefixes: ["x/"], modelAliases: [], baseUrl: "https://example.invalid", authEnv: ["X_KEY"] },
        { name: "first", authMode: null, modelPrefixes: [], modelAliases: [], baseUrl: "", authEnv: [] }
      ])
      expect(t.runtimeConfig).toEqual({
        model: "rc-model",
        models: [{ id: "m1", name: "Model One", requiredEnv: ["M1_KEY"] }],
        requiredEnv: ["M1_KEY"],
        providers: ["zeta", "alpha"],
        provisionTimeoutSeconds: 1200,
        hibernationIdleMinutes: 45
      })
    }).pipe(Effect.provide(over(fixtures))))

  it.effect("base_url is \"\" for null and absent; absent sections are empty", () =>
    Effect.gen(function* () {
      const cat = yield* TemplateCatalogue
      const t = Option.getOrThrow(yield* cat.find("nulls"))
      expect(t.providerRegistry.map((p) => p.baseUrl)).toEqual(["", ""])
      expect(t.runtimeConfig.providers).toEqual([])
      expect(t.runtimeConfig.provisionTimeoutSeconds).toBeNull()
      expect(t.model).toBeNull()
    }).pipe(Effect.provide(over(fixtures))))

  it.effect("find of an unparseable or missing template is None; hasDirectory ignores parseability", () =>
    Effect.gen(function* () {
      const cat = yield* TemplateCatalogue
      expect(Option.isNone(yield* cat.find("stringprov"))).toBe(true)
      expect(Option.isNone(yield* cat.find("nope"))).toBe(true)
      expect(yield* cat.hasDirectory("broken")).toBe(true)
      expect(yield* cat.hasDirectory("notemplate")).toBe(true)
      expect(yield* cat.hasDirectory("nope")).toBe(false)
      expect(cat.pathOf("x")).toBe(path.join(fixtures, "x"))
    }).pipe(Effect.provide(over(fixtures))))
})

describe("Berth's own workspace-configs-templates", () => {
  it.effect("both templates parse with their timeouts and registries", () =>
    Effect.gen(function* () {
      const cat = yield* TemplateCatalogue
      const all = yield* cat.list
      expect(all.map((t) => t.id)).toEqual(["claude-code-default", "hermes"])
      const cc = all[0]!
      expect(cc.runtimeConfig.provisionTimeoutSeconds).toBe(900)
      expect(cc.providerRegistry.map((p) => p.name)).toEqual(["anthropic-oauth", "anthropic-api", "minimax"])
      expect(cc.providerRegistry[0]!.baseUrl).toBe("")
      expect(cc.runtimeConfig.providers).toEqual(["anthropic-oauth", "minimax"])
      const hermes = all[1]!
      expect(hermes.runtimeConfig.provisionTimeoutSeconds).toBe(1800)
      expect(hermes.providerRegistry).toEqual([])
      expect(hermes.runtimeConfig.model).toBe("minimax/MiniMax-M2.7")
    }).pipe(Effect.provide(over(berthTemplates))))
})

describe("TemplateCatalogueFs cache (GET /workspaces and the sweeps list it on every call)", () => {
  const template = (dir: string, id: string) => {
    fs.mkdirSync(path.join(dir, id), { recursive: true })
    fs.writeFileSync(path.join(dir, id, "config.yaml"), `name: ${id}\nruntime: hermes\n`)
  }

  it.scoped("serves the listed catalogue for its TTL, then reads the directory again", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "berth-templates-"))),
        (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
      )
      template(dir, "first")
      const catalogue = yield* TemplateCatalogue.pipe(Effect.provide(over(dir)))
      const ids = Effect.map(catalogue.list, (all) => all.map((t) => t.id))
      expect(yield* ids).toEqual(["first"])
      template(dir, "second")
      // Within the TTL the edit is not seen: no directory read per call.
      yield* TestClock.adjust(Duration.millis(Duration.toMillis(TemplateCatalogueFs.DEFAULT_TTL) - 1))
      expect(yield* ids).toEqual(["first"])
      yield* TestClock.adjust("1 millis")
      expect(yield* ids).toEqual(["first", "second"])
      // `find` reads its one file fresh: a template is usable at once.
      template(dir, "third")
      expect(Option.map(yield* catalogue.find("third"), (t) => t.id)).toEqual(Option.some("third"))
    }))
})
