/**
 * `Workspaces.update` (§5.4.1) on the harness databases: only the fields present change, each validated as create
 * validates it; a new parent must be live and outside the workspace's own subtree; a refused edit writes nothing.
 */
import { expect, layer } from "@effect/vitest"
import type { WorkspaceId } from "@berth/core"
import { EventLog, Workspaces } from "@berth/core"
import { Effect } from "effect"
import { removeWorkspace, tagOf } from "./Fixtures.js"
import { databases } from "./Harness.js"
import { once, services } from "./WorkspaceServices.js"

const external = (name: string, parentId?: string) =>
  Effect.flatMap(Workspaces, (w) => w.create({ name, external: true, ...(parentId === undefined ? {} : { parentId }) }, once(name)))
    .pipe(Effect.map((c) => c.id))

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(Workspaces, (w) => w.get(id, { includeRemoved: false })).pipe(Effect.map((v) => v.workspace))

for (const db of databases) {
  layer(services(db), { timeout: "60 seconds" })(`Workspaces.update on ${db.name}`, (it) => {
    it.effect("the fields present change, the others stay; x/y only together; collapsed on its own", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const id = yield* external("before")
        expect(yield* workspaces.update(id, { name: "after", role: "Reviewer", tier: 2 })).toEqual({ needsRestart: false })
        expect(yield* row(id)).toMatchObject({ name: "after", role: "Reviewer", tier: 2, runtime: "external", x: 0, y: 0, collapsed: false })
        yield* workspaces.update(id, { x: 120.5, y: -40 })
        yield* workspaces.update(id, { x: 999 })
        yield* workspaces.update(id, { collapsed: true })
        expect(yield* row(id)).toMatchObject({ name: "after", x: 120.5, y: -40, collapsed: true })
        yield* workspaces.update(id, { role: null, runtime: "claude-code" })
        expect(yield* row(id)).toMatchObject({ role: null, runtime: "claude-code", tier: 2 })
        expect(yield* workspaces.update(id, { workspaceDir: "/home/agent/project" })).toEqual({ needsRestart: true })
        expect((yield* row(id)).workspaceDir).toBe("/home/agent/project")
        yield* workspaces.update(id, { workspaceDir: null })
        expect((yield* row(id)).workspaceDir).toBeNull()
        // nothing to change is still an answer
        expect(yield* workspaces.update(id, {})).toEqual({ needsRestart: false })
      }))

    it.effect("create's validators refuse bad fields, and a refused edit writes nothing", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const id = yield* external("kept")
        const refused = (request: Parameters<typeof workspaces.update>[1]) =>
          Effect.flip(workspaces.update(id, request)).pipe(Effect.map((e) => e._tag === "InvalidInput" ? e.message : e._tag))
        expect(yield* refused({ name: "" })).toBe("invalid workspace payload")
        expect(yield* refused({ name: "two\nlines", tier: 2 })).toBe("invalid workspace fields")
        expect(yield* refused({ name: "{braces}" })).toBe("invalid workspace fields")
        expect(yield* refused({ role: "r".repeat(1001) })).toBe("invalid workspace fields")
        expect(yield* refused({ tier: 5 })).toBe("invalid workspace fields")
        expect(yield* refused({ runtime: "no-such-runtime" })).toBe("invalid workspace fields")
        expect(yield* refused({ workspaceDir: "relative/dir" })).toBe("invalid workspace directory")
        expect(yield* refused({ workspaceDir: "/etc/agent", name: "renamed" })).toBe("invalid workspace directory")
        expect(yield* refused({ parentId: "not-a-uuid" })).toBe("InvalidWorkspaceId")
        expect(yield* refused({ parentId: "00000000-0000-4000-8000-000000000009" })).toBe("parent workspace not found")
        expect(yield* row(id)).toMatchObject({ name: "kept", tier: 3, workspaceDir: null })
      }))

    it.effect("a new parent: live, not the workspace itself, not one of its descendants; null makes a root", () =>
      Effect.gen(function* () {
        const workspaces = yield* Workspaces
        const root = yield* external("root")
        const child = yield* external("child", root)
        const grandchild = yield* external("grandchild", child)
        const other = yield* external("other")
        expect(yield* tagOf(workspaces.update(root, { parentId: root }))).toBe("InvalidInput")
        const cycle = yield* Effect.flip(workspaces.update(root, { parentId: grandchild }))
        expect(cycle).toMatchObject({ _tag: "InvalidInput", message: "parent_id would make the workspace its own ancestor" })
        yield* workspaces.update(child, { parentId: other })
        expect((yield* row(child)).parentId).toBe(other)
        // the move is recorded (upstream's WORKSPACE_MOVED); an edit that keeps the parent records nothing
        yield* workspaces.update(child, { parentId: other, name: "child again" })
        const moves = (yield* Effect.flatMap(EventLog, (log) => log.latest(50, child))).filter((e) => e.type === "WORKSPACE_MOVED")
        expect(moves.map((e) => e.payload)).toEqual([{ old_parent_id: root, new_parent_id: other }])
        // the subtree moved with it: root may now adopt its old grandchild
        yield* workspaces.update(grandchild, { parentId: root })
        expect((yield* row(grandchild)).parentId).toBe(root)
        yield* workspaces.update(child, { parentId: null })
        expect((yield* row(child)).parentId).toBeNull()
        yield* removeWorkspace(other)
        expect(yield* tagOf(workspaces.update(child, { parentId: other }))).toBe("InvalidInput")
        expect(yield* tagOf(workspaces.update(other, { name: "ghost" }))).toBe("WorkspaceRemoved")
        expect(yield* tagOf(workspaces.update("00000000-0000-4000-8000-00000000000a" as WorkspaceId.WorkspaceId, {}))).toBe("WorkspaceNotFound")
      }))
  })
}
