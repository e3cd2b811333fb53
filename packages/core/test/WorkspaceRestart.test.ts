import { OrphanSweeper, WorkspaceId, WorkspaceRestart } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"

describe("auto-restart skip rules (§5.6)", () => {
  const ws = (status: string, runtime = "claude-code") => ({ status, runtime }) as Parameters<typeof WorkspaceRestart.autoRestartSkip>[0]
  const skip = WorkspaceRestart.autoRestartSkip

  it("skips removed, paused, hibernated and external workspaces, and everything without a backend", () => {
    for (const status of ["removed", "paused", "hibernated"] as const) expect(skip(ws(status), [], true)).toEqual(Option.some(status))
    expect(skip(ws("online", "external"), [], true)).toEqual(Option.some("external workspace"))
    expect(skip(ws("online"), [], false)).toEqual(Option.some("no provisioning backend"))
  })

  it("skips a workspace with a paused ancestor at any depth, naming it", () => {
    const chain = [{ status: "online", name: "Team" }, { status: "paused", name: "Org" }] as const
    expect(skip(ws("offline"), chain, true)).toEqual(Option.some(`parent workspace "Org" is paused`))
  })

  it("restarts the others: offline, online, failed, provisioning, degraded", () => {
    for (const status of ["offline", "online", "failed", "provisioning", "degraded"] as const) {
      expect(skip(ws(status), [{ status: "online", name: "p" }], true)).toEqual(Option.none())
    }
  })
})

describe("orphan sweeper container names (§7.3, §11.3)", () => {
  const id = WorkspaceId.unsafeMake("3f2a9c1b-1a2b-4c3d-8e9f-0123456789ab")

  it("reads full ids, legacy 12-character names, and nothing else", () => {
    expect(OrphanSweeper.ownerOf(`ws-${id}`)).toEqual({ _tag: "Workspace", id })
    expect(OrphanSweeper.ownerOf(`ws-${id.toUpperCase()}`)).toEqual({ _tag: "Workspace", id })
    expect(OrphanSweeper.ownerOf("ws-3f2a9c1b-1a2")).toEqual({ _tag: "Legacy", prefix: "3f2a9c1b-1a2" })
    expect(OrphanSweeper.ownerOf("ws-0123456789ab")).toEqual({ _tag: "Legacy", prefix: "0123456789ab" })
    for (const name of ["postgres", `ws-${id}-configs`, "ws-", "ws-xyz"]) expect(OrphanSweeper.ownerOf(name)._tag).toBe("Unrecognised")
  })

  it("a workspace has a container under its full or its legacy name", () => {
    expect(OrphanSweeper.hasContainer(new Set([`ws-${id}`]), id)).toBe(true)
    expect(OrphanSweeper.hasContainer(new Set(["ws-3f2a9c1b-1a2"]), id)).toBe(true)
    expect(OrphanSweeper.hasContainer(new Set(["ws-3f2a9c1b-1a3", `ws-${id}x`]), id)).toBe(false)
  })
})
