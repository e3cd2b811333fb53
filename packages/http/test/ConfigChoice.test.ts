/** Core's `ConfigChoice` (§5.2 rules 3 and 12, §5.6 rule 4) over the real template catalogue on a directory. */
import { NodeFileSystem } from "@effect/platform-node"
import { TemplateCatalogueFs } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { ConfigChoice, Runtime } from "@berth/core"
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { templatesDir } from "./support/TestServer.js"

/** A CONFIGS_DIR with a `claude-code-default` and a `custom` template. */
const configsDir = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-configs-"))
  for (const name of ["claude-code-default", "custom"]) {
    fs.mkdirSync(path.join(dir, name))
    fs.writeFileSync(path.join(dir, name, "config.yaml"), `name: ${name}\nruntime: claude-code\n`)
  }
  return dir
})()

const over = (dir: string) =>
  Layer.merge(TemplateCatalogueFs.layerFresh(dir).pipe(Layer.provide(NodeFileSystem.layer)), Layer.succeed(Runtime.RuntimeAllowlist, Runtime.fallbackAllowlist))

const message = <A, R>(effect: Effect.Effect<A, { readonly message: string }, R>) =>
  Effect.map(Effect.either(effect), Either.match({ onLeft: (e) => e.message, onRight: () => "ok" }))

describe("ConfigChoice", () => {
  it.effect("templateDefaults: runtime and model a template supplies; bad paths refused; absent or broken supply nothing", () =>
    Effect.gen(function* () {
      expect(yield* ConfigChoice.templateDefaults("bare")).toEqual({ runtime: "hermes", model: "nousresearch/hermes-4", hibernationIdleMinutes: null })
      expect(yield* ConfigChoice.templateDefaults("full")).toEqual({ runtime: "claude-code", model: "sonnet", hibernationIdleMinutes: null })
      for (const none of ["", "missing", "broken"]) expect(yield* ConfigChoice.templateDefaults(none)).toEqual({ runtime: "", model: "", hibernationIdleMinutes: null })
      for (const bad of ["../x", "/etc", "a/../../b"]) expect(yield* message(ConfigChoice.templateDefaults(bad))).toBe("invalid template")
    }).pipe(Effect.provide(over(templatesDir))))

  it.effect("forCreate: the template if it exists, else <runtime>-default, else the generated config.yaml", () =>
    Effect.gen(function* () {
      const input = { name: "Bot", role: "", runtime: "claude-code", model: "" }
      expect(yield* ConfigChoice.forCreate({ ...input, template: "custom" }))
        .toEqual({ _tag: "TemplateDir", templateId: "custom", dir: path.join(configsDir, "custom") })
      expect(yield* ConfigChoice.forCreate({ ...input, template: "missing" }))
        .toEqual({ _tag: "TemplateDir", templateId: "claude-code-default", dir: path.join(configsDir, "claude-code-default") })
      const generated = yield* ConfigChoice.forCreate({ ...input, template: "", runtime: "hermes", model: "minimax/M" })
      expect(generated._tag).toBe("Generated")
      expect(generated._tag === "Generated" && generated.configYaml).toContain("runtime: hermes\nmodel: \"minimax/M\"")
      // an unknown runtime is sanitised before its default directory is looked up
      expect(yield* ConfigChoice.forCreate({ ...input, template: "", runtime: "../../etc" }))
        .toMatchObject({ _tag: "TemplateDir", templateId: "claude-code-default" })
    }).pipe(Effect.provide(over(configsDir))))

  it.effect("forRestart: an existing explicit template; else, re-applying, <runtime>-default; else the volume as it is", () =>
    Effect.gen(function* () {
      const custom = yield* ConfigChoice.forRestart({ template: "custom", reapply: false, runtime: "hermes" })
      expect(ConfigChoice.label(custom)).toBe("custom")
      const reapplied = yield* ConfigChoice.forRestart({ template: "missing", reapply: true, runtime: "claude-code" })
      expect(ConfigChoice.label(reapplied)).toBe("claude-code-default")
      const kept = yield* ConfigChoice.forRestart({ template: "", reapply: false, runtime: "claude-code" })
      expect([kept, ConfigChoice.label(kept)]).toEqual([{ _tag: "ExistingVolume" }, "existing-volume"])
      expect(ConfigChoice.label(yield* ConfigChoice.forRestart({ template: "", reapply: true, runtime: "hermes" }))).toBe("existing-volume")
      expect(yield* message(ConfigChoice.forRestart({ template: "../x", reapply: false, runtime: "hermes" }))).toBe("invalid template")
    }).pipe(Effect.provide(over(configsDir))))
})
