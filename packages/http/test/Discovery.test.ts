/**
 * Discovery (§5.11.1) end to end: real agent servers on 127.0.0.1 in a parent/child hierarchy register through the
 * registry, then discover each other, list their peers and ask check-access — with the requests the Python SDK's
 * `RemoteAgentClient.discover_peer` / `get_peers` send (bearer + `X-Workspace-ID`).
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { WorkspaceId } from "@berth/core"
import { clientWith } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { asAgent, startAgent } from "./support/LoopbackAgent.js"
import type { Answer } from "./support/TestServer.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "discovery-admin"

const discover = (target: string, headers: Record<string, string>) => send("GET", `/registry/discover/${target}`, { headers })
const ids = (answer: Answer) => (json(answer) as ReadonlyArray<{ readonly id: string }>).map((p) => p.id)

describe("discovery (§5.11.1) with loopback agents", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.scoped("a child discovers its parent and dials the URL it gets; an agent of another team is refused", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "lead")
        const worker = yield* startAgent(admin, "worker", lead.id)
        const otherRoot = yield* startAgent(admin, "other-root")
        const stranger = yield* startAgent(admin, "stranger", otherRoot.id)

        const found = yield* discover(lead.id, asAgent(worker))
        expect(found.status).toBe(200)
        expect(json(found)).toEqual({ id: lead.id, url: lead.url, name: "lead" })
        // the URL reaches the lead's own server
        expect(yield* Effect.promise(() => fetch(lead.url).then((r) => r.json()))).toEqual({ name: "lead" })
        // and the other way round, and to itself
        expect(json(yield* discover(worker.id, asAgent(lead)))).toMatchObject({ id: worker.id, url: worker.url })
        expect((yield* discover(worker.id, asAgent(worker))).status).toBe(200)

        const refused = yield* discover(stranger.id, asAgent(worker))
        expect(refused.status).toBe(403)
        expect(json(refused)).toEqual({ error: "not authorized to discover this workspace" })
        // roots are siblings of each other (§4.5): the two leads may talk
        expect((yield* discover(otherRoot.id, asAgent(lead))).status).toBe(200)
      }))

    it.scoped("the caller proves who it is: header required, its own live token only", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "lead-2")
        const worker = yield* startAgent(admin, "worker-2", lead.id)
        const noHeader = yield* discover(lead.id, bearer(worker.token))
        expect(noHeader.status).toBe(400)
        expect(json(noHeader)).toEqual({ error: "X-Workspace-ID header is required" })
        const noToken = yield* discover(lead.id, { "x-workspace-id": worker.id })
        expect([noToken.status, json(noToken)]).toEqual([401, { error: "missing workspace auth token" }])
        const wrongToken = yield* discover(lead.id, { ...bearer(lead.token), "x-workspace-id": worker.id })
        expect([wrongToken.status, json(wrongToken)]).toEqual([401, { error: "invalid workspace auth token" }])
        // a header that is no workspace id names nobody the target may talk to
        expect((yield* discover(lead.id, { ...bearer(worker.token), "x-workspace-id": "not-a-uuid" })).status).toBe(403)
        const unknown = "00000000-0000-4000-8000-00000000abcd"
        expect((yield* discover(unknown, asAgent(worker))).status).toBe(403)
      }))

    it.scoped("a container peer that is not online or degraded is not available (503 with its status)", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "lead-3")
        const created = yield* send("POST", "/workspaces", { headers: bearer(admin), body: JSON.stringify({ name: "box", parent_id: lead.id }) })
        const box = (json(created) as { readonly id: string }).id
        const status = (json(yield* send("GET", `/workspaces/${box}`, { headers: bearer(admin) })) as { readonly status: string }).status
        const answer = yield* discover(box, asAgent(lead))
        expect([answer.status, json(answer)]).toEqual([503, { error: "workspace not available", status }])
      }))

    it.scoped("peers: siblings, children, then the parent, filtered by ?q=; what get_peers reads", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "team-lead")
        const alpha = yield* startAgent(admin, "alpha worker", lead.id)
        const beta = yield* startAgent(admin, "beta worker", lead.id)
        const grandchild = yield* startAgent(admin, "alpha helper", alpha.id)

        const ofAlpha = yield* send("GET", `/registry/${alpha.id}/peers`, { headers: asAgent(alpha) })
        expect(ofAlpha.status).toBe(200)
        expect(ids(ofAlpha)).toEqual([beta.id, grandchild.id, lead.id])
        expect((json(ofAlpha) as ReadonlyArray<unknown>)[0]).toEqual({
          id: beta.id, name: "beta worker", role: null, tier: expect.any(Number), status: "online",
          agent_card: { name: "beta worker" }, url: beta.url, parent_id: lead.id, active_tasks: 0
        })
        const filtered = yield* send("GET", `/registry/${alpha.id}/peers?q=HELP`, { headers: asAgent(alpha) })
        expect(ids(filtered)).toEqual([grandchild.id])
        // the lead sees its children and the other roots, never a grandchild
        const ofLead = ids(yield* send("GET", `/registry/${lead.id}/peers`, { headers: asAgent(lead) }))
        expect(ofLead).toEqual(expect.arrayContaining([alpha.id, beta.id]))
        expect(ofLead).not.toContain(grandchild.id)
        expect(ofLead).not.toContain(lead.id)
        // someone else's token does not list a team
        expect((yield* send("GET", `/registry/${alpha.id}/peers`, { headers: asAgent(beta) })).status).toBe(401)
      }))

    it.scoped("the typed client sends the caller header discover declares", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "typed-lead")
        const worker = yield* startAgent(admin, "typed-worker", lead.id)
        const client = yield* clientWith(worker.token)
        const found = yield* client.discovery.discover({ path: { id: WorkspaceId.unsafeMake(lead.id) }, headers: { "x-workspace-id": worker.id } })
        expect(found).toEqual({ id: lead.id, url: lead.url, name: "typed-lead" })
        const peers = yield* client.discovery.peers({ path: { id: WorkspaceId.unsafeMake(worker.id) }, urlParams: {} })
        expect(peers.map((p) => p.id)).toEqual([lead.id])
        expect(yield* client.discovery.checkAccess({ payload: { caller_id: worker.id, target_id: lead.id } })).toEqual({ allowed: true })
      }))

    it.scoped("check-access answers the hierarchy rule; both ids are required UUIDs", () =>
      Effect.gen(function* () {
        const lead = yield* startAgent(admin, "ca-lead")
        const worker = yield* startAgent(admin, "ca-worker", lead.id)
        const otherRoot = yield* startAgent(admin, "ca-other")
        const stranger = yield* startAgent(admin, "ca-stranger", otherRoot.id)
        const check = (caller_id: unknown, target_id: unknown) =>
          send("POST", "/registry/check-access", { body: JSON.stringify({ caller_id, target_id }) })
        expect(json(yield* check(worker.id, lead.id))).toEqual({ allowed: true })
        expect(json(yield* check(lead.id, worker.id))).toEqual({ allowed: true })
        expect(json(yield* check(worker.id, stranger.id))).toEqual({ allowed: false })
        expect(json(yield* send("POST", "/registry/check-access", { body: JSON.stringify({ caller_id: worker.id }) })))
          .toEqual({ error: "invalid request body" })
        expect(json(yield* check(worker.id, "nope"))).toEqual({ error: "invalid workspace ID" })
        expect((yield* check(1, lead.id)).status).toBe(400)
      }))
  })
})
