import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { contractHeadings, contractRefs, readTextFiles, runGatesReport, unresolvedRefs } from "@berth/gates"

const berthRoot = fileURLToPath(new URL("../../..", import.meta.url))

const docs = [{ path: "docs/contract/README.md", text: "# Contract\n\n## §5 HTTP API\n\n### §5.11 Registry\n\n## §7.1 Health sweep\n" }]

describe("contract references", () => {
  it("reads the section numbers of headings only, not of citations in the text", () => {
    const withCitation = [{ path: "docs/x.md", text: "## §3 Data\n\nsee §4.1 for the guard\n" }]
    expect([...contractHeadings([...docs, ...withCitation])].sort()).toEqual(["3", "5", "5.11", "7.1"])
  })

  it("finds citations with their line, range ends included, and not a trailing full stop", () => {
    const refs = contractRefs([{ path: "a.ts", text: "// §5.11.\n/** §7.1–7.3 and §10 */" }])
    expect(refs).toEqual([
      { ref: "5.11", file: "a.ts", line: 1 },
      { ref: "7.1", file: "a.ts", line: 2 },
      { ref: "7.3", file: "a.ts", line: 2 },
      { ref: "10", file: "a.ts", line: 2 }
    ])
  })

  it("fails on a number without a heading, and passes when every number has one", () => {
    const sources = [
      { path: "packages/core/src/Heartbeat.ts", text: "/** Contract §5.11: the hot path. */" },
      { path: "README.md", text: "Sweeps: §7.1.\nWebSocket: §5.12 (not written yet)." }
    ]
    expect(unresolvedRefs(docs, sources)).toEqual([{ ref: "5.12", file: "README.md", line: 2 }])
    expect(unresolvedRefs(docs, sources.slice(0, 1))).toEqual([])
  })

  it("every § reference in Berth's code and documentation names a heading of docs/contract", () => {
    const exclude = ["packages/gates/test/fixtures/**"]
    const contract = readTextFiles(berthRoot, ["docs/contract/**/*.md"], exclude)
    const sources = readTextFiles(berthRoot, ["{packages,bench,examples}/**/*.{ts,md}", "docs/**/*.md", "README.md"], exclude)
    expect(contract.length).toBeGreaterThan(0)
    expect(contractRefs(sources).length).toBeGreaterThan(400)
    expect(unresolvedRefs(contract, sources).map((r) => `${r.file}:${r.line} §${r.ref}`)).toEqual([])
  })

  it("runs as the contract-references gate with the same files", async () => {
    const report = await runGatesReport(berthRoot, { gates: ["contract-references"] })
    expect(report.findings).toEqual([])
    expect(report.targets.map((t) => t.option)).toEqual(["contractDocs", "contractSources"])
  })
})
