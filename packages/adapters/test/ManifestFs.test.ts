import { ManifestFs } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

describe("ManifestFs", () => {
  it.effect("loads names minus -default plus external from WORKSPACE_MANIFEST_PATH", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"))
      const file = path.join(dir, "manifest.json")
      fs.writeFileSync(file, JSON.stringify({ workspace_templates: [{ name: "claude-code-default" }, { name: "mybot-default" }] }))
      const allow = yield* ManifestFs.load(file)
      expect([...allow].sort()).toEqual(["claude-code", "external", "mybot"])
    }))
  it.effect("missing file falls back to 5 entries", () =>
    Effect.gen(function* () {
      const allow = yield* ManifestFs.load("/nonexistent/manifest.json")
      expect([...allow].sort()).toEqual(["claude-code", "codex", "external", "hermes", "openclaw"])
    }))
  it("search order", () => {
    expect(ManifestFs.candidates(undefined)).toEqual(["manifest.json", "../manifest.json", "../../manifest.json"])
  })
})
