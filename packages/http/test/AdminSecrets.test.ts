import { SecretRepository } from "@berth/core"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { bearer, onlineWorkspace } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const admin = "secrets-admin"
const headers = bearer(admin)

describe("/admin/secrets (§5.8)", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.effect("save, list without values, delete, then 404", () =>
      Effect.gen(function* () {
        expect((yield* send("GET", "/admin/secrets")).status).toBe(401)
        const saved = yield* send("POST", "/admin/secrets", { headers, body: JSON.stringify({ key: "OPENAI_API_KEY", value: "sk-1" }) })
        expect(saved.status).toBe(200)
        expect(json(saved)).toEqual({ status: "saved", key: "OPENAI_API_KEY" })
        // the value reaches provisioning (globals are part of every workspace's env)
        const id = yield* onlineWorkspace
        expect((yield* Effect.flatMap(SecretRepository, (s) => s.loadForProvision(id)))["OPENAI_API_KEY"]).toBe("sk-1")

        const listed = yield* send("GET", "/admin/secrets", { headers })
        expect(listed.text).not.toContain("sk-1")
        expect(json(listed)).toEqual([{
          key: "OPENAI_API_KEY",
          has_value: true,
          scope: "global",
          created_at: expect.any(String),
          updated_at: expect.any(String)
        }])
        const deleted = yield* send("DELETE", "/admin/secrets/OPENAI_API_KEY", { headers })
        expect(json(deleted)).toEqual({ status: "deleted", key: "OPENAI_API_KEY" })
        const again = yield* send("DELETE", "/admin/secrets/OPENAI_API_KEY", { headers })
        expect(again.status).toBe(404)
        expect(json(again)).toEqual({ error: "secret not found" })
        expect(json(yield* send("GET", "/admin/secrets", { headers }))).toEqual([])
      }))

    it.effect("key and value are both required", () =>
      Effect.gen(function* () {
        for (const body of [{ key: "A" }, { value: "v" }, { key: "", value: "v" }]) {
          const answer = yield* send("POST", "/admin/secrets", { headers, body: JSON.stringify(body) })
          expect(answer.status).toBe(400)
          expect(json(answer)).toEqual({ error: "key and value are required" })
        }
        expect(json(yield* send("POST", "/admin/secrets", { headers, body: "{\"key\":1}" }))).toMatchObject({ error: "invalid request body" })
      }))
  })
})
