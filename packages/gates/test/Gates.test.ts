import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { configFileName, gateIds, gatesReport, runGates, runGatesReport } from "@berth/gates"
import type { GateId } from "@berth/gates"

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url))
const berthRoot = fileURLToPath(new URL("../../..", import.meta.url))

/** Every `file:line` of a fixture tree whose line says `expect-finding`: what the gate must report, exactly. */
const expectedLocations = (dir: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  const walk = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name)
      if (entry.isDirectory()) walk(full)
      else {
        fs.readFileSync(full, "utf8").split("\n").forEach((line, i) => {
          if (line.includes("expect-finding")) out.push(`${path.relative(dir, full).split(path.sep).join("/")}:${i + 1}`)
        })
      }
    }
  }
  walk(dir)
  return out.sort()
}

const variants = (gate: GateId): ReadonlyArray<string> => fs.readdirSync(path.join(fixtures, gate)).sort()

describe("every gate has fixtures", () => {
  it.each(gateIds)("%s has a bad and a good tree", (gate) => {
    const names = variants(gate)
    expect(names.some((n) => n.startsWith("bad"))).toBe(true)
    expect(names.some((n) => n.startsWith("good"))).toBe(true)
  })
})

describe.each(gateIds)("gate %s", (gate) => {
  for (const variant of variants(gate)) {
    const dir = path.join(fixtures, gate, variant)
    if (variant.startsWith("bad")) {
      it(`fails on ${variant} at exactly the marked lines`, async () => {
        const findings = await runGates(dir, { gates: [gate] })
        const expected = expectedLocations(dir)
        expect(expected.length).toBeGreaterThan(0)
        expect([...new Set(findings.map((f) => `${f.file}:${f.line}`))].sort()).toEqual(expected)
        for (const f of findings) {
          expect(f.gate).toBe(gate)
          expect(f.message.length).toBeGreaterThan(10)
          if (gate === "provider-drift") expect(f.message).toMatch(/^DRIFT: /)
        }
      })
    } else {
      it(`passes on ${variant}`, async () => {
        expect(await runGates(dir, { gates: [gate] })).toEqual([])
      })
    }
  }
})

describe("details", () => {
  it("a bad fixture fails only its own gate's check, not every gate", async () => {
    const findings = await runGates(path.join(fixtures, "hexagonal-boundary", "bad"), { gates: ["bound-status-writes"] })
    // the tree has no status module, which that gate reports as such, and nothing else
    expect(findings.map((f) => f.message.split(" (")[0])).toEqual(["no target found for statusModule"])
  })

  it("the enum finding names what is missing", async () => {
    const findings = await runGates(path.join(fixtures, "status-enum-drift", "bad"), { gates: ["status-enum-drift"] })
    const enumFinding = findings.find((f) => f.file.includes("migrations"))
    expect(enumFinding?.message).toContain("missing awaiting_agent")
  })

  it("a raw status write says both what is wrong with it: outside the writers, and not a core status", async () => {
    const findings = await runGates(path.join(fixtures, "bound-status-writes", "bad-raw"), { gates: ["bound-status-writes"] })
    const zombie = findings.filter((f) => f.file.endsWith("SmallStoresSql.ts") && f.line === 6).map((f) => f.message)
    expect(zombie.some((m) => m.startsWith("workspace status written outside the repository's status-writing functions"))).toBe(true)
    expect(zombie.some((m) => m.startsWith(`workspace status written as "zombie", which is not one of core's statuses`))).toBe(true)
    // the same tree passes when every function is declared a status writer, but the unknown values still fail
    const lenient = await runGates(path.join(fixtures, "bound-status-writes", "bad-raw"), {
      gates: ["bound-status-writes"], statusWriters: /./, statusWriterModules: ["**"]
    })
    expect(lenient.filter((f) => f.message.includes("not one of core's statuses")).map((f) => `${f.file}:${f.line}`).sort()).toEqual([
      "packages/adapters/src/sql/SmallStoresSql.ts:10", "packages/adapters/src/sql/SmallStoresSql.ts:6",
      "packages/adapters/src/sql/StatusWritesSql.ts:10", "packages/adapters/src/sql/StatusWritesSql.ts:7"
    ])
  })

  it("the provider gate both parses and runs the script", async () => {
    const findings = await runGates(path.join(fixtures, "provider-drift", "bad"), { gates: ["provider-drift"] })
    const gemini = findings.filter((f) => f.message.includes("gemini"))
    expect(gemini.some((f) => f.message.startsWith("DRIFT: the script maps gemini/*"))).toBe(true)
    expect(gemini.some((f) => f.message.startsWith("DRIFT: bash derive-provider.sh prints \"gemini\""))).toBe(true)
  })

  it.live("is an Effect too, with the targets and the elapsed time", () =>
    Effect.gen(function* () {
      const report = yield* gatesReport(path.join(fixtures, "hexagonal-boundary", "good"), { gates: ["hexagonal-boundary"] })
      expect(report.findings).toEqual([])
      expect(report.gates).toEqual(["hexagonal-boundary"])
      expect(report.files).toBe(4)
      expect(report.targets.map((t) => [t.option, t.files.length])).toEqual([["coreModules", 2]])
      expect(report.elapsedMs).toBeGreaterThan(0)
    }))

  it.live("fails with GatesFailed on a missing project", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(gatesReport(path.join(fixtures, "no-such-project")))
      expect(error._tag).toBe("GatesFailed")
    }))

  it("Berth's own templates agree with core's provider table", async () => {
    expect(await runGates(berthRoot, { gates: ["provider-drift"] })).toEqual([])
  })
})

describe("a gate without targets fails, never skips", () => {
  it.each(gateIds)("%s fails on a tree without its targets, naming the option to point", async (gate) => {
    const findings = await runGates(path.join(fixtures, "no-targets"), { gates: [gate] })
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) {
      expect(f.message).toMatch(/^no target found for \w+ \(/)
      expect(f.file).toBe(configFileName)
    }
  })

  it("a restart module renamed out of the globs fails both restart gates", async () => {
    const dir = path.join(fixtures, "no-inline-stop-in-restart", "good")
    const options = { gates: ["no-inline-stop-in-restart", "cp-stop-only-through-retry"] as const, restartModules: ["packages/*/src/**/*Reboot*.ts"] }
    const findings = await runGates(dir, options)
    expect(findings.map((f) => `${f.gate}: ${f.message.slice(0, 40)}`)).toEqual([
      "cp-stop-only-through-retry: no target found for restartModules (pack",
      "no-inline-stop-in-restart: no target found for restartModules (pack"
    ])
  })
})

describe("berth.gates.json", () => {
  const withConfig = (fixture: string, config: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-config-"))
    fs.cpSync(path.join(fixtures, fixture), dir, { recursive: true })
    fs.writeFileSync(path.join(dir, configFileName), config)
    return dir
  }

  it("re-points a target, and a target matching nothing is reported at its line", async () => {
    const dir = withConfig(path.join("no-inline-stop-in-restart", "bad"),
      `{\n  "$comment": "the restart module moved",\n  "restartModules": ["packages/core/src/lifecycle/**/*.ts"]\n}\n`)
    const findings = await runGates(dir, { gates: ["no-inline-stop-in-restart"] })
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual([`${configFileName}:3`])
    // an explicit option still wins over the file
    const explicit = await runGates(dir, { gates: ["no-inline-stop-in-restart"], restartModules: ["packages/*/src/**/*Restart*.ts"] })
    expect(explicit.length).toBeGreaterThan(0)
    expect(explicit.every((f) => f.file.endsWith("RestartHttp.ts"))).toBe(true)
  })

  it("reads patterns as /source/flags", async () => {
    const dir = withConfig(path.join("no-inline-stop-in-restart", "bad"), `{ "backgroundFunctions": "/./i" }`)
    const report = await runGatesReport(dir, { gates: ["no-inline-stop-in-restart"] })
    expect(report.targets[0]?.files.length).toBeGreaterThan(0)
  })

  it.live("an unknown field or a wrong type fails the run with GatesFailed", () =>
    Effect.gen(function* () {
      const typo = yield* Effect.flip(gatesReport(withConfig("no-targets", `{ "restartModule": ["x"] }`)))
      expect(typo.message).toContain("restartModule")
      const wrong = yield* Effect.flip(gatesReport(withConfig("no-targets", `{ "restartModules": "x" }`)))
      expect(wrong._tag).toBe("GatesFailed")
    }))

  it("on Berth itself every target matches something", async () => {
    const report = await runGatesReport(berthRoot)
    expect(report.findings.filter((f) => f.message.startsWith("no target found"))).toEqual([])
    expect(report.targets.filter((t) => t.files.length === 0)).toEqual([])
  })
})
