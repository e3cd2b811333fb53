/** `POST /workspaces` bad input (§5.2 rules 1–7): each 400 with the contract's message, and nothing stored. */
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { admin, adminSettings } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const asAdmin = bearer(admin)
const create = (body: string) => send("POST", "/workspaces", { body, headers: asAdmin })
const rowCount = Effect.map(send("GET", "/workspaces", { headers: asAdmin }), (a) => (json(a) as Array<unknown>).length)

const cases: ReadonlyArray<readonly [message: string, bodies: ReadonlyArray<unknown>]> = [
  ["invalid workspace payload", [
    "{not json", "[]", "null", "42", {}, { name: "" }, { name: 5 }, { name: "a", tier: "3" }, { name: "a", tier: 2.5 },
    { name: "a", external: "yes" }, { name: "a", secrets: { K: 1 } }, { name: "a", canvas: { x: "1" } },
    { name: "a", hibernation_idle_minutes: 2.5 }, { name: "a", hibernation_idle_minutes: "10" }
  ]],
  ["hibernation_idle_minutes must be a whole number of minutes from 1 to 525600, or null", [
    { name: "a", hibernation_idle_minutes: 0 }, { name: "a", hibernation_idle_minutes: -1 },
    { name: "a", hibernation_idle_minutes: 525_601 }
  ]],
  ["invalid workspace fields", [
    { name: "a\nb" }, { name: "a\rb" }, { name: "a", role: "r\n" }, { name: "a", model: "m\n" }, { name: "a", runtime: "r\r" },
    ...["{", "}", "[", "]", "|", ">", "*", "&", "!"].flatMap((c) => [{ name: `a${c}` }, { name: "a", role: `r${c}` }]),
    { name: "x".repeat(256) }, { name: "é".repeat(128) }, { name: "a", role: "r".repeat(1001) },
    { name: "a", model: "m".repeat(101) }, { name: "a", runtime: "r".repeat(101) },
    { name: "a", tier: 5 }, { name: "a", tier: -1 }, { name: "a", budget_limit: -1 },
    { name: "a", max_concurrent_tasks: 2 ** 31 }, { name: "a", max_concurrent_tasks: 1e12 }
  ]],
  ["invalid template", [{ name: "a", template: "../outside" }, { name: "a", template: "/etc" }, { name: "a", template: "full/../../x" }]],
  ["delivery_mode must be 'push' or 'poll'", [{ name: "a", delivery_mode: "pull" }, { name: "a", external: true, delivery_mode: "PUSH" }]],
  ["invalid workspace directory", [
    { name: "a", workspace_dir: "relative/dir" }, { name: "a", workspace_dir: "/etc" }, { name: "a", workspace_dir: "/usr/local/x" },
    { name: "a", workspace_dir: "/home/../etc" }
  ]],
  ["invalid workspace access", [
    { name: "a", workspace_access: "rw" }, { name: "a", workspace_access: "read_only" },
    { name: "a", workspace_dir: "/home/me/src", workspace_access: "everything" }
  ]],
  ["invalid workspace ID", [{ name: "a", parent_id: "not-a-uuid" }]],
  ["parent workspace not found", [{ name: "a", parent_id: "8c0b3c3e-7f5e-4d55-9a43-3b1b8c8b6d11" }]]
]

describe("POST /workspaces validation (§5.2 rules 1–7)", () => {
  layer(testServer(adminSettings), { timeout: "60 seconds" })((it) => {
    it.effect("every rule answers its 400 and changes nothing", () =>
      Effect.gen(function* () {
        const before = yield* rowCount
        for (const [message, bodies] of cases) {
          for (const body of bodies) {
            const raw = typeof body === "string" ? body : JSON.stringify(body)
            const answer = yield* create(raw)
            expect([answer.status, (json(answer) as { error: unknown }).error], raw.slice(0, 80)).toEqual([400, message])
          }
        }
        expect(yield* rowCount).toBe(before)
      }))

    it.effect("a decode failure keeps the contract's error and adds a detail naming the field and what was wrong (issue 17)", () =>
      Effect.gen(function* () {
        const pinned: ReadonlyArray<readonly [string, string]> = [
          ["{not json", "body is not valid JSON"],
          [JSON.stringify({ role: "no name" }), "name is required"],
          [JSON.stringify({ name: 5 }), "name has the wrong type"]
        ]
        for (const [body, detail] of pinned) {
          const answer = yield* create(body)
          expect(answer.status, body).toBe(400)
          const wire = json(answer) as { error: string; detail: string }
          expect(wire.error, body).toBe("invalid workspace payload")
          expect(wire.detail.startsWith(detail), `${body} → ${wire.detail}`).toBe(true)
        }
        expect(yield* rowCount).toBe(0)
      }))

    it.effect("the limits are inclusive: 255-byte names and tier 0–4 are accepted; tier 0 becomes 3", () =>
      Effect.gen(function* () {
        for (const body of [{ name: "x".repeat(255), external: true }, { name: "t0", tier: 0, external: true }, { name: "t4", tier: 4, external: true }]) {
          const answer = yield* create(JSON.stringify(body))
          expect(answer.status, JSON.stringify(body).slice(0, 40)).toBe(201)
        }
        const rows = json(yield* send("GET", "/workspaces", { headers: asAdmin })) as Array<{ name: string; tier: number }>
        expect(rows.find((w) => w.name === "t0")?.tier).toBe(3)
        expect(rows.find((w) => w.name === "t4")?.tier).toBe(4)
      }))

    it.effect("a removed parent is not a parent; create and list need AdminAuth", () =>
      Effect.gen(function* () {
        const parent = json(yield* create(JSON.stringify({ name: "p", external: true }))) as { id: string }
        expect((yield* send("DELETE", `/workspaces/${parent.id}`, { headers: asAdmin })).status).toBe(200)
        const orphan = yield* create(JSON.stringify({ name: "c", parent_id: parent.id }))
        expect([orphan.status, json(orphan)]).toEqual([400, { error: "parent workspace not found" }])
        const anonymous = yield* send("POST", "/workspaces", { body: JSON.stringify({ name: "a" }) })
        expect([anonymous.status, json(anonymous)]).toEqual([401, { error: "admin auth required" }])
        const list = yield* send("GET", "/workspaces", { headers: bearer("wrong") })
        expect([list.status, json(list)]).toEqual([401, { error: "invalid admin auth token" }])
      }))

    it.effect("hibernation_idle_minutes (§2.4): the workspace's own threshold is stored and shown", () =>
      Effect.gen(function* () {
        const created = json(yield* create(JSON.stringify({ name: "idle-own", external: true, hibernation_idle_minutes: 30 }))) as { id: string }
        const detail = json(yield* send("GET", `/workspaces/${created.id}`, { headers: asAdmin })) as Record<string, unknown>
        expect(detail).toMatchObject({ hibernation_idle_minutes: 30 })
        const plain = json(yield* create(JSON.stringify({ name: "idle-default", external: true }))) as { id: string }
        expect(json(yield* send("GET", `/workspaces/${plain.id}`, { headers: asAdmin }))).toMatchObject({ hibernation_idle_minutes: null })
      }))
  })
})
