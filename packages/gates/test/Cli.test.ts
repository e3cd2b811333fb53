import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url))
const tsx = createRequire(import.meta.url).resolve("tsx/cli")

/** Runs the CLI as `npm run gates` does (tsx on main.ts) and returns its exit code and output. */
const cli = (...args: ReadonlyArray<string>) =>
  new Promise<{ readonly code: number; readonly stdout: string }>((resolve) => {
    execFile(process.execPath, [tsx, main, ...args], { timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout })
    })
  })

describe("gates CLI", () => {
  it("prints file:line gate: message per finding and a timed summary, and exits 1", async () => {
    const { code, stdout } = await cli(`${fixtures}/hexagonal-boundary/bad`, "hexagonal-boundary")
    expect(code).toBe(1)
    expect(stdout).toContain(`packages/adapters/src/Repo.ts:2 hexagonal-boundary: adapters imports "@berth/http"`)
    expect(stdout).toMatch(/gates: 1 gate\(s\) on 4 file\(s\): 9 finding\(s\) in \d+\.\d\ds/)
  })

  it("exits 0 on a clean tree, listing what the gate targeted", async () => {
    const { code, stdout } = await cli(`${fixtures}/hexagonal-boundary/good`, "hexagonal-boundary")
    expect(code).toBe(0)
    expect(stdout).toContain("target hexagonal-boundary coreModules: packages/core/src/**/*.ts -> 2 file(s)")
    expect(stdout).toMatch(/gates: 1 gate\(s\) on 4 file\(s\): all passed in \d+\.\d\ds/)
  })

  it("exits 2, saying why, when it scans no file (a run on the wrong folder never passes)", async () => {
    const { code, stdout } = await cli(`${fixtures}/no-targets`)
    expect(code).toBe(2)
    expect(stdout).toContain("berth.gates.json:1 no-inline-stop-in-restart: no target found for restartModules")
    expect(stdout).toMatch(/gates: 11 gate\(s\) on 0 file\(s\): unusable input in \d+\.\d\ds/)
    expect(stdout).toContain("gates: unusable input: no TypeScript file under")
  })

  it("--format github and --format sarif keep the exit code; sarif prints the document alone", async () => {
    const github = await cli(`${fixtures}/hexagonal-boundary/bad`, "hexagonal-boundary", "--format", "github")
    expect(github.code).toBe(1)
    expect(github.stdout).toContain("::error file=packages/adapters/src/Repo.ts,line=2,title=hexagonal-boundary::")
    const sarif = await cli(`${fixtures}/hexagonal-boundary/bad`, "hexagonal-boundary", "--format=sarif")
    expect(sarif.code).toBe(1)
    expect(JSON.parse(sarif.stdout).version).toBe("2.1.0")
  })

  it("exits 2 on an unknown gate or a missing project", async () => {
    expect((await cli(".", "no-such-gate")).code).toBe(2)
    expect((await cli(`${fixtures}/no-such-project`)).code).toBe(2)
    expect((await cli(".", "--format", "xml")).code).toBe(2)
  })
})
