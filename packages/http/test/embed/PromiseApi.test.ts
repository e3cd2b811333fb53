/**
 * The Promise API (issue 18): an external workspace created, registered and heartbeated through `createBerth`, its
 * events delivered to a subscriber until it unsubscribes, and core's errors rejected as themselves (`instanceof`).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Logger, LogLevel } from "effect"
import type { BerthApp } from "../../src/embed/index.js"
import { BerthDefect, createBerth, Errors } from "../../src/embed/index.js"

const started = createBerth({ database: { dataDir: "memory://" }, backgroundLoops: false, logger: Logger.minimumLogLevel(LogLevel.Warning) })
afterAll(async () => (await started).close())

describe("createBerth", () => {
  it("external workspace: create → register → heartbeat → online, events to a subscriber", async () => {
    const berth: BerthApp = await started
    const seen: Array<string> = []
    const unsubscribe = await berth.events.subscribe((event) => seen.push(event.type))
    const created = await berth.workspaces.create({ name: "Promise Bot", external: true }, { platformUrl: "https://host.example/berth" })
    if (created._tag !== "AwaitingAgent") return expect.unreachable(created._tag)
    expect(created.platformUrl).toBe("https://host.example/berth")
    expect((await berth.workspaces.get(created.id)).workspace.status).toBe("awaiting_agent")

    const registered = await berth.registry.register({ id: created.id, agentCard: { name: "remote" }, deliveryMode: "poll", token: created.token })
    expect(registered.deliveryMode).toBe("poll")
    await berth.registry.heartbeat({ id: created.id, token: created.token })
    expect((await berth.workspaces.get(created.id)).workspace.status).toBe("online")
    expect((await berth.workspaces.list()).map((v) => v.workspace.id)).toContain(created.id)
    expect(seen).toEqual(expect.arrayContaining(["WORKSPACE_AWAITING_AGENT", "WORKSPACE_ONLINE"]))

    expect(await berth.workspaces.restart(created.id)).toEqual({ _tag: "External" })
    await unsubscribe()
    const count = seen.length
    expect(await berth.workspaces.remove(created.id)).toEqual({ purged: false, cascadeDeleted: 0 })
    expect(seen.length).toBe(count)
  })

  it("edit, state, pause and resume, secrets and tokens, as the HTTP routes do", async () => {
    const berth = await started
    const created = await berth.workspaces.create({ name: "Promise Edit", external: true })
    if (created._tag !== "AwaitingAgent") return expect.unreachable(created._tag)
    expect(await berth.workspaces.update(created.id, { name: "Renamed", hibernationIdleMinutes: 10 })).toEqual({ needsRestart: false })
    expect((await berth.workspaces.get(created.id)).workspace).toMatchObject({ name: "Renamed", hibernationIdleMinutes: 10 })
    expect((await berth.workspaces.state(created.id)).status).toBe("awaiting_agent")
    expect(await berth.workspaces.pause(created.id)).toEqual({ count: 1 })
    expect((await berth.workspaces.state(created.id)).status).toBe("paused")
    await expect(berth.workspaces.pause(created.id)).rejects.toBeInstanceOf(Errors.NotInLifecycleState)
    expect(await berth.workspaces.resume(created.id)).toEqual({ count: 1 })
    expect((await berth.workspaces.state(created.id)).status).toBe("awaiting_agent")

    await berth.secrets.save(created.id, "API_KEY", "s3cret")
    expect((await berth.secrets.list(created.id)).map((s) => s.key)).toContain("API_KEY")
    await berth.secrets.remove(created.id, "API_KEY")
    expect((await berth.secrets.list(created.id)).map((s) => s.key)).not.toContain("API_KEY")
    await berth.secrets.saveGlobal("PROMISE_GLOBAL", "g")
    expect((await berth.secrets.listGlobal()).map((s) => s.key)).toContain("PROMISE_GLOBAL")
    await berth.secrets.removeGlobal("PROMISE_GLOBAL")

    const minted = await berth.tokens.mint(created.id)
    expect(minted.token.length).toBeGreaterThan(20)
    const live = await berth.tokens.list(created.id)
    expect(live.length).toBeGreaterThanOrEqual(2)
    const tokenId = (live[0] as { id: string }).id
    await berth.tokens.revoke(created.id, tokenId)
    await expect(berth.tokens.revoke(created.id, tokenId)).rejects.toBeInstanceOf(Errors.TokenNotFound)
  })

  it("rejects with core's typed errors", async () => {
    const berth = await started
    const unknown = "00000000-0000-4000-8000-000000000001"
    await expect(berth.workspaces.get(unknown)).rejects.toBeInstanceOf(Errors.WorkspaceNotFound)
    await expect(berth.workspaces.get("not-a-uuid")).rejects.toBeInstanceOf(Errors.InvalidWorkspaceId)
    await expect(berth.workspaces.create({ name: "" })).rejects.toBeInstanceOf(Errors.InvalidInput)
    const wrong = await berth.registry.heartbeat({ id: unknown, token: "nope" }).catch((e: unknown) => e)
    expect(wrong).toBeInstanceOf(Error)
    expect(wrong).not.toBeInstanceOf(BerthDefect)
  })
})
