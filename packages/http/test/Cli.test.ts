/**
 * Issue 18 point 5: the operator CLI against a real `berth serve` (the built command, `npx tsc -b` first; embedded
 * PGlite in a temporary folder, external-only mode, loopback). Table and `--json` output, exit codes 0/1/2, a bad
 * token, help and mistakes.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile, spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import * as net from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const adminToken = "cli-test-admin-token"
const isolated = { PATH: process.env["PATH"] ?? "", DOCKER_HOST: "unix:///nonexistent/docker.sock" }

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const probe = net.createServer().listen(0, "127.0.0.1", () => {
    const address = probe.address()
    probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
  })
})

let server: ChildProcess | undefined
let dataDir = ""
let url = ""

/** `berth <args>` with the remote settings (overridable) and nothing else from this environment. */
const berth = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], {
      env: { ...isolated, BERTH_URL: url, ADMIN_TOKEN: adminToken, ...env },
      timeout: 60_000
    }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr })
    })
  })

const createExternal = async (name: string): Promise<{ readonly id: string; readonly token: string }> => {
  const created = await berth(["workspaces", "create", name, "--external", "--json"])
  expect(created.code).toBe(0)
  const body = JSON.parse(created.stdout) as { readonly id: string; readonly connection: { readonly auth_token: string } }
  return { id: body.id, token: body.connection.auth_token }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "berth-cli-"))
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [main, "serve"], {
    env: { ...isolated, PORT: String(port), BERTH_DATA_DIR: dataDir, ADMIN_TOKEN: adminToken },
    stdio: ["ignore", "pipe", "pipe"]
  })
  server = child
  await new Promise<void>((resolve, reject) => {
    let output = ""
    const seen = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("Listening on")) resolve()
    }
    child.stdout?.on("data", seen)
    child.stderr?.on("data", seen)
    child.on("exit", (code) => reject(new Error(`berth serve exited (${code}): ${output}`)))
  })
}, 60_000)

afterAll(async () => {
  const child = server
  if (child !== undefined && child.exitCode === null) {
    await new Promise((resolve) => {
      child.on("exit", resolve)
      child.kill("SIGINT")
    })
  }
  rmSync(dataDir, { recursive: true, force: true })
})

describe("berth operator CLI", () => {
  it("lists workspaces as a table by default and as the server's JSON with --json, without colour codes", async () => {
    const { id } = await createExternal("cli-table")
    const table = await berth(["workspaces", "list"])
    expect(table.code).toBe(0)
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+STATUS\s+RUNTIME\s+TIER\s+URL$/)
    expect(table.stdout).toMatch(new RegExp(`${id}\\s+cli-table\\s+awaiting_agent\\s+external`))
    expect(table.stdout).not.toContain("\u001b[")
    const json = await berth(["workspaces", "list", "--json"])
    expect(json.code).toBe(0)
    const rows = JSON.parse(json.stdout) as ReadonlyArray<{ readonly id: string; readonly status: string }>
    expect(rows.find((r) => r.id === id)?.status).toBe("awaiting_agent")
  })

  it("a bad admin token is one clear line on stderr and exit 1", async () => {
    const refused = await berth(["workspaces", "list"], { ADMIN_TOKEN: "not-the-token" })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe("")
    expect(refused.stderr.trim()).toBe("berth workspaces list: invalid admin auth token: check ADMIN_TOKEN (or the agent's --token)")
  })

  it("brings an external workspace online as its agent, shows it, its events, and deletes it (then get exits 1)", async () => {
    const { id, token } = await createExternal("cli-agent")
    expect((await berth(["agents", "register", id, "--token", token, "--poll"])).stdout).toMatch(/status\s+registered/)
    const beat = await berth(["agents", "heartbeat", id, "--json"], { BERTH_AGENT_TOKEN: token })
    expect(beat.code).toBe(0)
    expect(JSON.parse(beat.stdout)).toMatchObject({ status: "ok" })
    const shown = await berth(["workspaces", "get", id])
    expect(shown.stdout).toMatch(/^status\s+online$/m)
    const events = await berth(["events", id])
    expect(events.stdout).toMatch(/WORKSPACE_ONLINE/)
    const restart = await berth(["workspaces", "restart", id, "--json"])
    expect(JSON.parse(restart.stdout)).toMatchObject({ status: "noop", runtime: "external" })
    expect((await berth(["agents", "heartbeat", id, "--token", "wrong"])).code).toBe(1)
    const deleted = await berth(["workspaces", "delete", id])
    expect(deleted.stdout).toMatch(/^status\s+removed$/m)
    const gone = await berth(["workspaces", "get", id])
    expect(gone.code).toBe(1)
    expect(gone.stderr.trim()).toBe("berth workspaces get: workspace removed")
  })

  it("a team of two agents: update sets the parent; peers, discover and an A2A send through Berth", async () => {
    const agent = createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString()))
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ jsonrpc: "2.0", result: { echoed: (JSON.parse(body) as { params: unknown }).params } }))
      })
    })
    await new Promise<void>((resolve) => agent.listen(0, "127.0.0.1", resolve))
    const agentUrl = `http://localhost:${(agent.address() as net.AddressInfo).port}`
    try {
      const lead = await createExternal("cli-lead")
      const worker = await createExternal("cli-worker")
      const moved = await berth(["workspaces", "update", worker.id, "--parent", lead.id, "--role", "reviewer", "--json"])
      expect(moved.code).toBe(0)
      expect(JSON.parse(moved.stdout)).toMatchObject({ status: "updated" })
      for (const a of [lead, worker]) expect((await berth(["agents", "register", a.id, "--token", a.token, "--url", agentUrl])).code).toBe(0)

      const peers = await berth(["agents", "peers", worker.id, "--token", worker.token])
      expect(peers.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+STATUS\s+ROLE\s+URL$/)
      expect(peers.stdout).toMatch(new RegExp(`${lead.id}\\s+cli-lead\\s+online`))
      const found = await berth(["agents", "discover", lead.id, "--as", worker.id, "--token", worker.token, "--json"])
      expect(JSON.parse(found.stdout)).toEqual({ id: lead.id, url: agentUrl, name: "cli-lead" })

      const sent = await berth(["agents", "send", lead.id, "hello lead", "--as", worker.id, "--token", worker.token])
      expect(sent.code).toBe(0)
      expect(JSON.parse(sent.stdout)).toMatchObject({ result: { echoed: { message: { parts: [{ kind: "text", text: "hello lead" }] } } } })
      const refused = await berth(["agents", "send", lead.id, "hello", "--as", worker.id, "--token", "wrong"])
      expect(refused.code).toBe(1)
      expect(refused.stderr.trim()).toBe(`berth agents send: 401 {"error":"invalid caller auth token"}`)
      expect((await berth(["agents", "discover", lead.id, "--token", worker.token])).code).toBe(2)
    } finally {
      agent.close()
    }
  })

  it("follows a workspace's event stream until --count events arrived", async () => {
    const { id, token } = await createExternal("cli-follow")
    const following = berth(["events", id, "--follow", "--count", "1", "--json"])
    // The stream may open after a first heartbeat: beat until the follower has its event (bounded by its timeout).
    let done = false
    void following.then(() => (done = true))
    while (!done) {
      await berth(["agents", "heartbeat", id, "--token", token])
    }
    const followed = await following
    expect(followed.code).toBe(0)
    const lines = followed.stdout.trim().split("\n")
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ type: expect.stringMatching(/^WORKSPACE_/) })
  })

  it("exit 2 with one line for an unknown command, an unknown option, a missing or bad argument", async () => {
    const unknown = await berth(["wokspaces"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1)
    expect(unknown.stderr).toContain(`berth: unknown command "wokspaces"`)
    expect((await berth(["workspaces", "list", "--jsn"])).stderr.trim()).toBe("berth workspaces list: unknown option --jsn; see berth workspaces list --help")
    expect((await berth(["workspaces", "get"])).code).toBe(2)
    const bad = await berth(["workspaces", "get", "not-a-uuid"])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe(`berth workspaces get: "not-a-uuid" is not a workspace id (a UUID)`)
  })

  it("--help lists the subcommands first and names the environment and an example; exit 0", async () => {
    const top = await berth(["--help"])
    expect(top.code).toBe(0)
    expect(top.stdout.split("\n\n")[1]).toMatch(/^Commands:\n {2}serve .*\n {2}migrate .*\n {2}gates .*\n {2}workspaces .*\n {2}events .*\n {2}agents /)
    const list = await berth(["workspaces", "list", "--help"])
    expect(list.stdout).toContain("BERTH_URL")
    expect(list.stdout).toContain("ADMIN_TOKEN")
    expect(list.stdout).toMatch(/Examples:\n {2}berth workspaces list/)
  })

  it("berth gates: --format github and the unusable-input exit 2 on a tree with nothing to scan", async () => {
    const fixtures = fileURLToPath(new URL("../../gates/test/fixtures", import.meta.url))
    const bad = await berth(["gates", `${fixtures}/hexagonal-boundary/bad`, "--gates", "hexagonal-boundary", "--format", "github"])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain("::error file=packages/adapters/src/Repo.ts,line=2,title=hexagonal-boundary::")
    const empty = await berth(["gates", `${fixtures}/no-targets`])
    expect(empty.code).toBe(2)
    expect(empty.stdout).toContain("gates: unusable input: no TypeScript file under")
  })

  it("an unreachable server is exit 1 with the URL named", async () => {
    const port = await freePort()
    const down = await berth(["workspaces", "list"], { BERTH_URL: `http://127.0.0.1:${port}` })
    expect(down.code).toBe(1)
    expect(down.stderr.trim()).toMatch(new RegExp(`^berth workspaces list: cannot reach Berth at http://127\\.0\\.0\\.1:${port}`))
  })
})
