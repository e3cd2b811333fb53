/**
 * Example (b): a plain node:http server that serves its own `/` and mounts Berth under `/berth`. Walks an external
 * agent through the prefix (create → register → heartbeat → online → delete → 410) and checks that the URLs Berth
 * hands out carry the prefix. DATABASE_URL set → Postgres, else an in-memory PGlite.
 */
import assert from "node:assert/strict"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { NodeListener, WebHandler } from "@berth/http/embed"
import { Option, Redacted } from "effect"

const adminToken = "example-admin-token"
const database = process.env["DATABASE_URL"] ? { postgresUrl: process.env["DATABASE_URL"] } : { dataDir: "memory://" }
const berth = WebHandler.make({ database, basePath: "/berth", backgroundLoops: false, edge: { adminToken: Option.some(Redacted.make(adminToken)) } })
const berthListener = NodeListener.nodeListener(berth.handler)

const server = createServer((req, res) => {
  if (req.url === "/berth" || req.url?.startsWith("/berth/")) return berthListener(req, res)
  res.writeHead(200, { "content-type": "text/plain" }).end("the host's own page")
})
await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: await response.json() as Record<string, any> }
}

try {
  assert.equal(await (await fetch(`${origin}/`)).text(), "the host's own page")
  const created = await call("POST", "/berth/workspaces", adminToken, { name: "Mounted Agent", external: true })
  assert.equal(created.status, 201)
  const { id, connection } = created.body
  assert.equal(connection.registry_endpoint, `${origin}/berth/registry/register`)
  const token: string = connection.auth_token
  assert.equal((await call("POST", "/berth/registry/register", token, { id, agent_card: { name: "mounted" }, delivery_mode: "poll" })).status, 200)
  assert.equal((await call("POST", "/berth/registry/heartbeat", token, { workspace_id: id })).status, 200)
  assert.equal((await call("GET", `/berth/workspaces/${id}`, adminToken)).body.status, "online")
  assert.equal((await call("DELETE", `/berth/workspaces/${id}`, adminToken)).status, 200)
  assert.equal((await call("GET", `/berth/workspaces/${id}`, adminToken)).status, 410)
  console.log(`node-mount: ${id} walked through ${origin}/berth`)
} finally {
  await new Promise((closed) => server.close(closed))
  await berth.dispose()
}
