import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { render, runGatesReport, verdictOf } from "@berth/gates"
import { describe, expect, it } from "@effect/vitest"
import { validate } from "./sarif/JsonSchema.js"

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url))
const schema = JSON.parse(fs.readFileSync(fileURLToPath(new URL("./sarif/sarif-2.1.0-rtm.5.json", import.meta.url)), "utf8"))
const bad = () => runGatesReport(path.join(fixtures, "hexagonal-boundary", "bad"), { gates: ["hexagonal-boundary"] })

/** A project with one TypeScript file and none of the gates' targets. */
const targetless = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-format-"))
  fs.mkdirSync(path.join(dir, "packages", "x", "src"), { recursive: true })
  fs.writeFileSync(path.join(dir, "packages", "x", "src", "a.ts"), "export const a = 1\n")
  return dir
}

describe("gates report formats", () => {
  it("sarif: a findings run validates against the vendored SARIF 2.1.0 schema, one result per finding", async () => {
    const report = await bad()
    const log = JSON.parse(render(report, "sarif"))
    expect(validate(schema, log)).toEqual([])
    expect(log.runs[0].results).toHaveLength(report.findings.length)
    expect(log.runs[0].results[0]).toMatchObject({
      ruleId: "hexagonal-boundary",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "packages/adapters/src/Repo.ts" }, region: { startLine: 2 } } }]
    })
  })

  it("sarif: clean and unusable runs validate too; an unusable one says why and is not successful", async () => {
    const clean = await runGatesReport(path.join(fixtures, "hexagonal-boundary", "good"), { gates: ["hexagonal-boundary"] })
    expect(validate(schema, JSON.parse(render(clean, "sarif")))).toEqual([])
    const unusable = JSON.parse(render(await runGatesReport(path.join(fixtures, "no-targets")), "sarif"))
    expect(validate(schema, unusable)).toEqual([])
    expect(unusable.runs[0].invocations[0].executionSuccessful).toBe(false)
    expect(unusable.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain("no TypeScript file")
  })

  it("the vendored validator does reject a document that breaks the schema", async () => {
    const log = JSON.parse(render(await bad(), "sarif"))
    expect(validate(schema, { ...log, version: "2.0.0" })).toEqual([`$.version: not one of ["2.1.0"]`])
    log.runs[0].results[0].level = "fatal"
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0
    expect(validate(schema, log).length).toBeGreaterThanOrEqual(2)
  })

  it("github: one ::error workflow command per finding, with file, line and the gate as title", async () => {
    const lines = render(await bad(), "github").split("\n")
    expect(lines).toContain(
      `::error file=packages/adapters/src/Repo.ts,line=2,title=hexagonal-boundary::adapters imports "@berth/http": nothing imports the http package; move the shared piece into core (or adapters)`
    )
    expect(lines.filter((l) => l.startsWith("::error file="))).toHaveLength(9)
  })

  it("json: the whole report with its verdict", async () => {
    const doc = JSON.parse(render(await bad(), "json"))
    expect(doc).toMatchObject({ outcome: "findings", exitCode: 1, count: 9, files: 4, gates: ["hexagonal-boundary"] })
    expect(doc.findings[0]).toMatchObject({ gate: "hexagonal-boundary", file: "packages/adapters/src/Repo.ts", line: 2 })
  })

  it("verdict: 0 clean, 1 findings, 2 when nothing was scanned or no gate had anything to check", async () => {
    expect(verdictOf(await runGatesReport(path.join(fixtures, "hexagonal-boundary", "good"), { gates: ["hexagonal-boundary"] })).exitCode).toBe(0)
    expect(verdictOf(await bad()).exitCode).toBe(1)
    const empty = verdictOf(await runGatesReport(path.join(fixtures, "no-targets")))
    expect(empty).toMatchObject({ exitCode: 2, reason: expect.stringContaining("no TypeScript file under") })
    const nothing = verdictOf(await runGatesReport(targetless()))
    expect(nothing).toMatchObject({ exitCode: 2, reason: expect.stringContaining("none of the 11 gate(s) found anything to check") })
    // One gate with a real target is enough for the run to count: its missing neighbours are findings (exit 1).
    const partly = await runGatesReport(path.join(fixtures, "hexagonal-boundary", "good"), { gates: ["hexagonal-boundary", "testing-kit-apart"] })
    expect(verdictOf(partly).exitCode).toBe(1)
  })
})
