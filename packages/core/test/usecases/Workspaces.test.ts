/**
 * The workspace use cases on the harness databases, without HTTP: create (each of its three answers, its refusals,
 * idempotent replay), get/list/pages, state, delete with cascade and purge, and the model/provider picks.
 */
import { expect, layer } from "@effect/vitest"
import { IdempotencyKeys, Workspaces, WorkspaceConfigStore } from "@berth/core"
import type { CreateRequest } from "@berth/core"
import { Effect, Exit, Option } from "effect"
import { databases } from "./Harness.js"
import { idleTemplate, once, services } from "./WorkspaceServices.js"

const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error._tag : undefined

for (const db of databases) {
  layer(services(db), { timeout: "60 seconds" })(`Workspaces on ${db.name}`, (it) => {
    it.effect("a container workload without a backend: provisioning, then failed; shown by get, list and pages", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const created = yield* workspaces.create({ name: "worker", runtime: "claude-code" }, once())
        expect(created._tag).toBe("Provisioning")
        if (created._tag !== "Provisioning") return
        expect(created.awarenessNamespace).toBe(`workspace:${created.id}`)
        const shown = yield* workspaces.get(created.id, { includeRemoved: false })
        expect(shown.workspace.status).toBe("failed")
        expect(shown.provisionTimeoutMs).toBeGreaterThan(0)
        // no backend: the config document is kept for later
        const config = yield* Effect.flatMap(WorkspaceConfigStore, (store) => store.get(created.id))
        expect(Option.map(config, (c) => c["runtime"])).toEqual(Option.some("claude-code"))
        const listed = yield* workspaces.list()
        expect(listed.map((v) => v.workspace.id)).toContain(created.id)
        const first = yield* workspaces.page(null, 1)
        expect(first.items).toHaveLength(1)
        expect(failureTag(yield* Effect.exit(workspaces.page("not-a-cursor", 1)))).toBe("InvalidInput")
      }))

    it.effect("external workspaces: online with a URL, awaiting their agent (with a token) without one", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const online = yield* workspaces.create({ name: "remote", external: true, url: "https://agent.example.com" }, once())
        expect(online._tag).toBe("Online")
        expect((yield* workspaces.state(online.id)).status).toBe("online")
        const shown = yield* workspaces.get(online.id, { includeRemoved: false })
        expect([shown.workspace.url, shown.provisionTimeoutMs]).toEqual(["https://agent.example.com", null])
        const awaiting = yield* workspaces.create({ name: "off-host", external: true }, once())
        expect(awaiting._tag).toBe("AwaitingAgent")
        if (awaiting._tag !== "AwaitingAgent") return
        expect(awaiting.platformUrl).toBe("https://berth.test")
        expect(awaiting.token).toHaveLength(43)
        expect((yield* workspaces.state(awaiting.id)).status).toBe("awaiting_agent")
      }))

    it.effect("refusals change nothing: bad fields, a malformed or removed parent, a blocked agent URL", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const before = (yield* workspaces.list()).length
        const refused = (request: CreateRequest.CreateRequest) => Effect.map(Effect.exit(workspaces.create(request, once())), failureTag)
        expect(yield* refused({ name: "" })).toBe("InvalidInput")
        expect(yield* refused({ name: "x\ny" })).toBe("InvalidInput")
        expect(yield* refused({ name: "child", parentId: "not-a-uuid" })).toBe("InvalidWorkspaceId")
        expect(yield* refused({ name: "child", parentId: "00000000-0000-4000-8000-000000000000" })).toBe("InvalidInput")
        expect(yield* refused({ name: "local", external: true, url: "http://127.0.0.1:8000" })).toBe("InvalidInput")
        expect((yield* workspaces.list()).length).toBe(before)
      }))

    it.effect("delete: a live subtree needs confirmation; cascade marks removed; purge hard-deletes", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const parent = yield* workspaces.create({ name: "parent", external: true }, once())
        const child = yield* workspaces.create({ name: "child", external: true, parentId: parent.id }, once())
        const unconfirmed = yield* Effect.exit(workspaces.remove(parent.id, { confirm: false, purge: false }))
        expect(failureTag(unconfirmed)).toBe("SubtreeNeedsConfirmation")
        expect(yield* workspaces.remove(parent.id, { confirm: true, purge: false })).toEqual({ purged: false, cascadeDeleted: 1 })
        expect(failureTag(yield* Effect.exit(workspaces.get(child.id, { includeRemoved: false })))).toBe("WorkspaceRemoved")
        expect((yield* workspaces.get(child.id, { includeRemoved: true })).workspace.status).toBe("removed")
        expect(failureTag(yield* Effect.exit(workspaces.state(parent.id)))).toBe("WorkspaceRemoved")
        // a retry is safe, and purges
        expect(yield* workspaces.remove(parent.id, { confirm: false, purge: true })).toEqual({ purged: true, cascadeDeleted: 1 })
        expect(failureTag(yield* Effect.exit(workspaces.get(child.id, { includeRemoved: true })))).toBe("WorkspaceNotFound")
        expect(failureTag(yield* Effect.exit(workspaces.remove(parent.id, { confirm: true, purge: false })))).toBe("WorkspaceNotFound")
      }))

    it.effect("model and provider: create's pick with its derived provider; save, clear; only live workspaces", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const ws = yield* workspaces.create({ name: "picky", external: true, model: "anthropic/claude-sonnet-4" }, once())
        expect(yield* workspaces.pick(ws.id, "model")).toEqual(Option.some("anthropic/claude-sonnet-4"))
        expect(yield* workspaces.pick(ws.id, "provider")).toEqual(Option.some("anthropic"))
        expect(yield* workspaces.choose(ws.id, "provider", "openai")).toBe("saved")
        expect(yield* workspaces.pick(ws.id, "provider")).toEqual(Option.some("openai"))
        expect(yield* workspaces.choose(ws.id, "model", "")).toBe("cleared")
        expect(yield* workspaces.pick(ws.id, "model")).toEqual(Option.none())
        yield* workspaces.remove(ws.id, { confirm: true, purge: false })
        expect(failureTag(yield* Effect.exit(workspaces.choose(ws.id, "model", "x")))).toBe("WorkspaceRemoved")
      }))

    it.effect("the idle threshold (§2.4): the workspace's own, else its template's, else the server's default", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const threshold = (request: CreateRequest.CreateRequest) =>
          Effect.flatMap(workspaces.create(request, once(request.name)), (c) =>
            Effect.map(workspaces.get(c.id, { includeRemoved: false }), (v) => v.workspace.hibernationIdleMinutes))
        expect(yield* threshold({ name: "idle-own", external: true, template: idleTemplate.id, hibernationIdleMinutes: 3 })).toBe(3)
        expect(yield* threshold({ name: "idle-template", external: true, template: idleTemplate.id })).toBe(7)
        expect(yield* threshold({ name: "idle-null", external: true, template: idleTemplate.id, hibernationIdleMinutes: null })).toBe(null)
        expect(yield* threshold({ name: "idle-none", external: true })).toBe(null)
        expect(failureTag(yield* Effect.exit(workspaces.create({ name: "idle-bad", hibernationIdleMinutes: 0 }, once("bad")))))
          .toBe("InvalidInput")
      }))

    it.effect("Idempotency-Key: the same key and fingerprint replay the first answer; another fingerprint is refused", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const key = crypto.randomUUID()
        const keyed = (fingerprint: string) => ({ ...once(fingerprint), idempotencyKey: key })
        const first = yield* workspaces.create({ name: "idem", external: true }, keyed("a"))
        const again = yield* workspaces.create({ name: "idem", external: true }, keyed("a"))
        expect(again).toEqual(first)
        expect((yield* workspaces.list()).filter((v) => v.workspace.name === "idem")).toHaveLength(1)
        const other = yield* Effect.exit(workspaces.create({ name: "idem", external: true, role: "x" }, keyed("b")))
        expect(failureTag(other)).toBe("IdempotencyKeyReused")
        // a refused request gives its key up
        const retryKey = crypto.randomUUID()
        const bad = yield* Effect.exit(workspaces.create({ name: "x\ny" }, { ...once("c"), idempotencyKey: retryKey }))
        expect(failureTag(bad)).toBe("InvalidInput")
        const fixed = yield* workspaces.create({ name: "fixed", external: true }, { ...once("d"), idempotencyKey: retryKey })
        expect(fixed._tag).toBe("AwaitingAgent")
      }))

    it.effect("Idempotency-Key: a wire body stored by an earlier version replays as the answer it was", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const keys = yield* IdempotencyKeys
        const key = crypto.randomUUID()
        const id = crypto.randomUUID()
        expect((yield* keys.claim("POST /workspaces", key, "old"))._tag).toBe("Claimed")
        const connection = { platform_url: "https://old.test", auth_token: "tok", workspace_id: id }
        yield* keys.complete("POST /workspaces", key, { status: 201, body: { id, external: true, status: "awaiting_agent", connection } })
        const replayed = yield* workspaces.create({ name: "old", external: true }, { ...once("old"), idempotencyKey: key })
        expect(replayed).toEqual({ _tag: "AwaitingAgent", id, platformUrl: "https://old.test", token: "tok" })
      }))

    it.effect("Idempotency-Key: concurrent creates with one key make one row and give every caller its answer", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const key = crypto.randomUUID()
        const name = `together-${key}`
        const answers = yield* Effect.all(
          Array.from({ length: 4 }, () => workspaces.create({ name, external: true }, { ...once("same"), idempotencyKey: key })),
          { concurrency: "unbounded" }
        )
        expect(new Set(answers.map((a) => a.id)).size).toBe(1)
        expect((yield* workspaces.list()).filter((v) => v.workspace.name === name)).toHaveLength(1)
      }))
  })
}

