/**
 * Berth's web handler mounted under `/berth` in a plain `node:http` server (issue 18), as a function of the database:
 * the external agent's life through the prefix (create → register → heartbeat → online → delete → 410), the
 * connection block's URLs carrying the prefix, the edge's answers and the OpenAPI document under it, and a 404
 * outside it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Logger, LogLevel, Option, Redacted } from "effect"
import type { Berth } from "../../src/embed/index.js"
import * as NodeListener from "../../src/embed/NodeListener.js"
import * as WebHandler from "../../src/embed/WebHandler.js"

export const mountedSuite = (name: string, database: Berth.Database) =>
describe(name, () => {
  const admin = "embed-admin-token"
  const berth = WebHandler.make({
    database,
    backgroundLoops: false,
    basePath: "/berth/",
    edge: { adminToken: Option.some(Redacted.make(admin)) },
    logger: Logger.minimumLogLevel(LogLevel.Warning)
  })
  const server = createServer(NodeListener.nodeListener(berth.handler))
  let origin = ""

  beforeAll(async () => {
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((closed) => server.close(closed))
    await berth.dispose()
  })

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await response.text()
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) as Record<string, unknown> }
  }

    it("normalizes the base path and tells inside from outside", () => {
      expect(berth.basePath).toBe("/berth")
      expect(WebHandler.normalizeBasePath("berth/")).toBe("/berth")
      expect(WebHandler.normalizeBasePath("/")).toBe("")
      expect(WebHandler.insidePrefix("/berth", "/berth")).toBe("/")
      expect(WebHandler.insidePrefix("/berth", "/berth/health")).toBe("/health")
      expect(WebHandler.insidePrefix("/berth", "/berthx/health")).toBeUndefined()
    })

    it("external agent through the prefix: create → register → heartbeat → online → delete → 410", async () => {
      const created = await call("POST", "/berth/workspaces", admin, { name: "Mounted Bot", external: true })
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ status: "awaiting_agent" })
      const id = created.body!["id"] as string
      const connection = created.body!["connection"] as Record<string, string>
      expect(connection["platform_url"]).toBe(`${origin}/berth`)
      expect(connection["registry_endpoint"]).toBe(`${origin}/berth/registry/register`)
      expect(connection["heartbeat_endpoint"]).toBe(`${origin}/berth/registry/heartbeat`)
      expect(connection["curl_register_template"]).toContain(`"${origin}/berth/registry/register"`)
      const token = connection["auth_token"]!

      const registered = await call("POST", "/berth/registry/register", token, { id, agent_card: { name: "remote" }, delivery_mode: "poll" })
      expect(registered).toMatchObject({ status: 200, body: { status: "registered" } })
      expect(await call("POST", "/berth/registry/heartbeat", token, { workspace_id: id })).toMatchObject({ status: 200, body: { status: "ok" } })
      expect((await call("GET", `/berth/workspaces/${id}`, admin)).body).toMatchObject({ status: "online" })

      expect(await call("DELETE", `/berth/workspaces/${id}`, admin)).toEqual({ status: 200, body: { status: "removed", cascade_deleted: 0 } })
      const gone = await call("GET", `/berth/workspaces/${id}`, admin)
      expect(gone.status).toBe(410)
      expect(gone.body).toMatchObject({ error: "workspace removed", id })
    })

    it("the same wire answers under the prefix: guards, decode errors, OpenAPI; outside it a JSON 404", async () => {
      expect((await call("GET", "/berth/workspaces", "wrong-token")).status).toBe(401)
      expect(await call("GET", "/berth/workspaces/not-a-uuid", admin)).toMatchObject({ status: 400, body: { error: "invalid workspace ID" } })
      const openapi = await call("GET", "/berth/openapi.json", admin)
      expect(openapi.status).toBe(200)
      expect(openapi.body).toHaveProperty("paths./workspaces")
      expect(openapi.body).toMatchObject({ servers: [{ url: "/berth" }] })
      expect((await call("GET", "/berth/health", admin)).status).toBe(200)
      expect(await call("GET", "/workspaces", admin)).toEqual({ status: 404, body: { error: "not found" } })
    })
})
