/** Discovery use cases (§5.11.1) on both databases: the hierarchy decides, the caller's token is the registry gate's. */
import type { WorkspaceId } from "@berth/core"
import { AgentRegistrations, Discovery, TokenRepository, WorkspaceStore } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { removeWorkspace, tagOf } from "./Fixtures.js"
import { databases } from "./Harness.js"

/** A row under `parent` (external unless `runtime`), brought `online` with `url` by a register when given. */
const member = (name: string, parent: WorkspaceId.WorkspaceId | null, options: { readonly url?: string; readonly runtime?: string; readonly role?: string } = {}) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const { workspace } = yield* store.create({
      name, role: options.role ?? null, tier: 1, runtime: options.runtime ?? "external", parentId: parent, workspaceDir: null,
      workspaceAccess: "none", deliveryMode: "poll", budgetLimit: null, maxConcurrentTasks: 1, secrets: {},
      event: { type: "WORKSPACE_PROVISIONING", payload: { source: "create" } }
    })
    if (options.url !== undefined) {
      yield* (yield* AgentRegistrations).register({
        id: workspace.id, url: options.url, agentCard: { name }, deliveryMode: "poll",
        event: { type: "WORKSPACE_ONLINE", payload: { source: "register" } }
      })
    }
    return workspace.id
  })

const open = { bearer: Option.none<string>(), devFailOpen: false }

for (const db of databases) {
  describe(`Discovery use cases (§5.11.1) on ${db.name}`, () => {
    layer(Discovery.Default.pipe(Layer.provideMerge(db.persistence)), { timeout: "60 seconds" })((it) => {
      it.effect("discover: the family may talk, cousins may not; an external peer's URL is rewritten for a container caller", () =>
        Effect.gen(function* () {
          const discovery = yield* Discovery
          const lead = yield* member("lead", null, { url: "http://localhost:7001" })
          const worker = yield* member("worker", lead, { url: "http://127.0.0.1:7002/a2a" })
          const box = yield* member("box", lead, { runtime: "claude-code" })
          const otherLead = yield* member("other", null)
          const cousin = yield* member("cousin", otherLead, { url: "http://localhost:7003" })

          expect(yield* discovery.discover(worker, lead, open)).toEqual({ id: lead, url: "http://localhost:7001", name: "lead" })
          // box is a container (not external): the host loopback becomes the Docker host
          expect((yield* discovery.discover(box, worker, open)).url).toBe("http://host.docker.internal:7002/a2a")
          expect(yield* tagOf(discovery.discover(worker, cousin, open))).toBe("PeerForbidden")
          expect(yield* tagOf(discovery.discover("not-a-uuid", lead, open))).toBe("PeerForbidden")
          // a container peer that is still provisioning has no URL to give
          const unavailable = yield* Effect.flip(discovery.discover(worker, box, open))
          expect(unavailable).toMatchObject({ _tag: "PeerUnavailable", status: "provisioning" })
          yield* removeWorkspace(box)
          expect(yield* tagOf(discovery.discover(worker, box, open))).toBe("WorkspaceRemoved")
          expect(yield* discovery.checkAccess(worker, lead)).toBe(true)
          expect(yield* discovery.checkAccess(lead, otherLead)).toBe(true)
          expect(yield* discovery.checkAccess(worker, cousin)).toBe(false)
        }))

      it.effect("the caller's live token is required once it has one; dev fail-open skips the gate", () =>
        Effect.gen(function* () {
          const discovery = yield* Discovery
          const lead = yield* member("t-lead", null, { url: "http://localhost:7010" })
          const worker = yield* member("t-worker", lead, { url: "http://localhost:7011" })
          const issued = yield* (yield* TokenRepository).issue(worker)
          expect(yield* tagOf(discovery.discover(worker, lead, open))).toBe("TokenRejected")
          expect(yield* tagOf(discovery.discover(worker, lead, { bearer: Option.some("wrong"), devFailOpen: false }))).toBe("TokenRejected")
          expect(yield* tagOf(discovery.discover(worker, lead, { bearer: Option.some(issued.token), devFailOpen: false }))).toBe("ok")
          expect(yield* tagOf(discovery.discover(worker, lead, { bearer: Option.none(), devFailOpen: true }))).toBe("ok")
          expect(yield* tagOf(discovery.peers(worker, "", open))).toBe("TokenRejected")
        }))

      it.effect("peers: siblings, then children, then the parent; removed rows and grandchildren left out; ?q= on name or role", () =>
        Effect.gen(function* () {
          const discovery = yield* Discovery
          const lead = yield* member("p-lead", null)
          const me = yield* member("p-me", lead)
          const sibling = yield* member("p-sibling", lead, { role: "Reviewer" })
          const gone = yield* member("p-gone", lead)
          const child = yield* member("p-child", me)
          yield* member("p-grandchild", child)
          yield* removeWorkspace(gone)
          const peers = yield* discovery.peers(me, "", open)
          expect(peers.map((p) => p.id)).toEqual([sibling, child, lead])
          for (const p of peers) expect(yield* discovery.checkAccess(me, p.id)).toBe(true)
          expect((yield* discovery.peers(me, "  review ", open)).map((p) => p.id)).toEqual([sibling])
          expect((yield* discovery.peers(me, "P-CHI", open)).map((p) => p.id)).toEqual([child])
          expect(yield* tagOf(discovery.peers("00000000-0000-4000-8000-0000000000ff" as WorkspaceId.WorkspaceId, "", open)))
            .toBe("WorkspaceNotFound")
        }))
    })
  })
}
