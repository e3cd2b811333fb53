/**
 * Issue 5 acceptance: every route answers malformed JSON, wrong types, unknown ids and non-UUID ids with a 4xx JSON
 * error, never a 5xx. The route table comes from the API definition, so a new route is walked without editing this.
 * Existing workspaces (an external one and a container one) are walked too, so handlers get past their lookups.
 */
import { HttpApi } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { Api } from "../src/Api.js"
import { bearer } from "./support/Fixtures.js"
import { send, testServer } from "./support/TestServer.js"

const admin = "walk-admin-token"

const routes: Array<{ method: string; path: string }> = []
HttpApi.reflect(Api, { onGroup: () => {}, onEndpoint: ({ endpoint }) => { routes.push({ method: endpoint.method, path: endpoint.path }) } })

/**
 * 5xx answers the contract itself prescribes for these inputs: console outside CP mode is 501 (§5.12), restarting a
 * resuming or hibernating a container workspace without a backend is 503 (§5.6 rule 3, §2.4).
 */
const prescribed = (template: string, status: number) =>
  (status === 501 && template.endsWith("/console")) ||
  (status === 503 && ["/restart", "/resume", "/hibernate"].some((route) => template.endsWith(route)))

const withIds = (template: string, id: string) => template.replace(/:[A-Za-z]+/g, id)
const bodies = [
  "{not json", "[]", "null", "{}",
  "{\"id\":5,\"workspace_id\":[1],\"agent_card\":7,\"activity_type\":{}}",
  "{\"name\":[],\"key\":5,\"value\":{},\"model\":1,\"provider\":true,\"template\":7,\"reset\":\"yes\",\"tier\":\"x\"}"
]

describe("route walk: bad input never yields a 5xx", () => {
  layer(testServer({ adminToken: Option.some(Redacted.make(admin)) }), { timeout: "60 seconds" })((it) => {
    it.effect(`${routes.length} routes × ids × bodies`, () =>
      Effect.gen(function* () {
        expect(routes.length).toBeGreaterThan(15)
        const existing = yield* Effect.forEach([{ name: "walk-ext", external: true }, { name: "walk-container" }], (body) =>
          Effect.map(send("POST", "/workspaces", { headers: bearer(admin), body: JSON.stringify(body) }), (a) => (JSON.parse(a.text) as { id: string }).id))
        // deletes come last, so the routes before them still find the workspaces
        const ordered = [...routes.filter((r) => r.method !== "DELETE"), ...routes.filter((r) => r.method === "DELETE")]
        for (const route of ordered) {
          // an existing workspace's event stream never ends: it is walked with the other ids only
          const live = route.path.endsWith("/events/stream") ? [] : existing
          for (const id of ["not-a-uuid", randomUUID(), "00000000-0000-0000-0000-000000000000", ...live]) {
            const path = withIds(route.path, id)
            const method = route.method as "GET" | "POST" | "PUT" | "DELETE"
            const attempts = method === "GET" || method === "DELETE" ? [undefined] : bodies
            for (const body of attempts) {
              const answer = yield* send(method, path, { headers: bearer(admin), ...(body === undefined ? {} : { body }) })
              const where = `${method} ${path} ${body ?? ""} → ${answer.status} ${answer.text.slice(0, 120)}`
              if (!prescribed(route.path, answer.status)) expect(answer.status, where).toBeLessThan(500)
              if (answer.status >= 400 || prescribed(route.path, answer.status)) {
                expect(JSON.parse(answer.text), where).toEqual(expect.objectContaining({ error: expect.any(String) }))
              }
            }
          }
        }
      }))
  })
})
