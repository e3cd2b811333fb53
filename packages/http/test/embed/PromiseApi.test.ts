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
