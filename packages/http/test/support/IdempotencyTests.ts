/** `Idempotency-Key` on `POST /workspaces` (a Berth addition), over HTTP; part of the workspaces suite. */
import type { Vitest } from "@effect/vitest"
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { admin } from "./Clients.js"
import { bearer } from "./Fixtures.js"
import type { TestServices } from "./TestServer.js"
import { json, send } from "./TestServer.js"

const create = (body: unknown, key?: string) =>
  send("POST", "/workspaces", {
    body: JSON.stringify(body),
    headers: { ...bearer(admin), ...(key === undefined ? {} : { "idempotency-key": key }) }
  })

/** Ids of the workspaces (removed ones too) named `name`. */
const named = (name: string) =>
  Effect.map(send("GET", "/workspaces", { headers: bearer(admin) }), (a) =>
    (json(a) as Array<{ id: string; name: string }>).filter((w) => w.name === name).map((w) => w.id))

export const idempotencyTests = (it: Vitest.MethodsNonLive<TestServices, false>) => {
  it.effect("same key + same body → the same 201 (token included) and one row; another body → 409", () =>
    Effect.gen(function* () {
      const key = randomUUID()
      const name = `idem-${key}`
      const first = yield* create({ name, external: true }, key)
      expect(first.status).toBe(201)
      // same body, other key order: the same request
      const again = yield* create({ external: true, name }, key)
      expect([again.status, json(again)]).toEqual([201, json(first)])
      expect(yield* named(name)).toEqual([(json(first) as { id: string }).id])
      const other = yield* create({ name, external: true, role: "different" }, key)
      expect(other.status).toBe(409)
      expect(json(other)).toEqual({ error: "Idempotency-Key was already used with a different request body" })
      expect(yield* named(name)).toHaveLength(1)
      // a request refused with a 400 gives its key up: the corrected retry runs
      const badKey = randomUUID()
      expect((yield* create({ name: "x\ny" }, badKey)).status).toBe(400)
      expect((yield* create({ name: `${name}-fixed`, external: true }, badKey)).status).toBe(201)
      // without a key, every request creates
      yield* create({ name: `${name}-free`, external: true })
      yield* create({ name: `${name}-free`, external: true })
      expect(yield* named(`${name}-free`)).toHaveLength(2)
    }))

  it.effect("concurrent requests with one key: one row, every answer the same", () =>
    Effect.gen(function* () {
      const key = randomUUID()
      const name = `concurrent-${key}`
      const answers = yield* Effect.all(Array.from({ length: 6 }, () => create({ name, external: true }, key)), { concurrency: "unbounded" })
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201))
      expect(new Set(answers.map((a) => a.text)).size).toBe(1)
      expect(yield* named(name)).toHaveLength(1)
    }))
}
