/**
 * Issue 17.5: a create that cannot be provisioned (a container runtime on a server with no backend) answers 201, then
 * turns `failed`; the reason is on the workspace itself (get and list) and in the operator's log at WARN with its id.
 */
import { describe, expect, layer } from "@effect/vitest"
import { LogCapture } from "@berth/adapters/testing"
import { ProvisionPipeline } from "@berth/core"
import { Effect, Layer } from "effect"
import { admin, adminSettings } from "./support/Clients.js"
import { bearer } from "./support/Fixtures.js"
import { json, send, testServer } from "./support/TestServer.js"

const capture = LogCapture.logCapture()
const asAdmin = bearer(admin)

describe("a provision failure says why", () => {
  layer(testServer(adminSettings).pipe(Layer.provide(capture.layer)), { timeout: "60 seconds" })((it) => {
    it.effect("no backend: 201, then GET /workspaces/:id and the list show the reason; WARN names the workspace", () =>
      Effect.gen(function* () {
        const created = yield* send("POST", "/workspaces", { headers: asAdmin, body: JSON.stringify({ name: "Boxed", runtime: "hermes" }) })
        expect(created.status).toBe(201)
        const id = (json(created) as { id: string }).id
        const detail = json(yield* send("GET", `/workspaces/${id}`, { headers: asAdmin }))
        expect(detail).toMatchObject({ id, status: "failed", last_sample_error: ProvisionPipeline.NO_BACKEND_REASON })
        const listed = (json(yield* send("GET", "/workspaces", { headers: asAdmin })) as ReadonlyArray<{ id: string }>)
          .find((w) => w.id === id)
        expect(listed).toMatchObject({ status: "failed", last_sample_error: ProvisionPipeline.NO_BACKEND_REASON })
        const warned = capture.lines.filter((l) => l.level === "WARN" && l.text.includes(id))
        expect(warned.map((l) => l.text)).toEqual([`workspace ${id} failed to provision: ${ProvisionPipeline.NO_BACKEND_REASON}`])
      }))
  })
})
