import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

// Core must import only `effect` (and relative files): no Node modules, no other packages.
const srcDir = path.resolve(__dirname, "../src")
const files = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []
  )
const specifier = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/g

describe("core purity", () => {
  it("imports only effect, effect/* or relative paths", () => {
    const bad: Array<string> = []
    for (const file of files(srcDir)) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(specifier)) {
        const spec = m[1] ?? m[2] ?? ""
        if (!(spec === "effect" || spec.startsWith("effect/") || spec.startsWith("./") || spec.startsWith("../"))) {
          bad.push(`${path.relative(srcDir, file)}: ${spec}`)
        }
      }
    }
    expect(bad).toEqual([])
    expect(files(srcDir).length).toBeGreaterThan(3)
  })

  // Issue 16 point 5: settings reach core as values from main (`ProvisionSettings`, `SweepSettings`), never read here.
  it("reads no environment: no Config, ConfigProvider or process.env", () => {
    const effectImport = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*["']effect["']/g
    const bad: Array<string> = []
    for (const file of files(srcDir)) {
      const text = fs.readFileSync(file, "utf8")
      for (const m of text.matchAll(effectImport)) {
        const names = (m[1] ?? "").split(",").map((n) => n.trim().replace(/^type\s+/, ""))
        for (const name of names) if (name === "Config" || name === "ConfigProvider") bad.push(`${path.relative(srcDir, file)}: ${name}`)
      }
      if (text.includes("process.env")) bad.push(`${path.relative(srcDir, file)}: process.env`)
    }
    expect(bad).toEqual([])
  })
})
