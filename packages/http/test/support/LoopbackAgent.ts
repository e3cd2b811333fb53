/**
 * Agents for end-to-end tests: a real HTTP server per agent on 127.0.0.1 (closed with the test's scope) answering
 * every request with its agent card, and the create → register flow an external agent goes through, over HTTP.
 */
import type { Scope } from "effect"
import { Effect } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { bearer } from "./Fixtures.js"
import { json, send } from "./TestServer.js"

export interface LoopbackAgent {
  readonly id: string
  readonly token: string
  readonly name: string
  /** The URL it registered (`http://localhost:<port>`: loopback names pass the agent URL check, §9.6). */
  readonly url: string
}

/** An HTTP server on 127.0.0.1 that answers `{"name": <name>}`; its URL. */
export const agentServer = (name: string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly close: () => void }>((resume) => {
      const server = createServer((_, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ name }))
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ url: `http://localhost:${port}`, close: () => server.close() }))
      })
    }),
    (s) => Effect.sync(s.close)
  )

/**
 * Creates an external workspace as the admin does (`parent` optional), then registers its agent with its token; the
 * agent is an in-process server unless `server` brings another (e.g. an agent process).
 */
export const startAgent = (
  admin: string,
  name: string,
  parent?: string,
  server: Effect.Effect<{ readonly url: string }, never, Scope.Scope> = agentServer(name)
) =>
  Effect.gen(function* () {
    const created = yield* send("POST", "/workspaces", {
      headers: bearer(admin),
      body: JSON.stringify({ name, external: true, ...(parent === undefined ? {} : { parent_id: parent }) })
    })
    const body = json(created) as { readonly id: string; readonly connection: { readonly auth_token: string } }
    const agent = yield* server
    const token = body.connection.auth_token
    const registered = yield* send("POST", "/registry/register", {
      headers: bearer(token),
      body: JSON.stringify({ id: body.id, url: agent.url, agent_card: { name } })
    })
    if (registered.status !== 200) return yield* Effect.die(new Error(`register answered ${registered.status} ${registered.text}`))
    return { id: body.id, token, name, url: agent.url } satisfies LoopbackAgent
  })

/** The headers of an agent speaking for itself, as the Python SDK sends them (bearer and `X-Workspace-ID`). */
export const asAgent = (agent: LoopbackAgent) => ({ ...bearer(agent.token), "x-workspace-id": agent.id })
