import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { onlineWorkspace, tokenFor } from "./support/Fixtures.js"
import { send, testServer } from "./support/TestServer.js"

describe("dev fail-open: ADMIN_TOKEN unset and MOLECULE_ENV development/dev (§4.2 rule 2, §4.3 rule 1)", () => {
  layer(testServer({ devEnv: true }), { timeout: "60 seconds" })((it) => {
    it.effect("WorkspaceAuth passes without a bearer", () =>
      Effect.gen(function* () {
        const id = yield* onlineWorkspace
        expect((yield* send("GET", `/workspaces/${id}/state`)).status).toBe(200)
      }))

    it.effect("AdminAuth passes without a bearer even when tokens exist", () =>
      Effect.gen(function* () {
        yield* tokenFor(yield* onlineWorkspace)
        expect((yield* send("GET", "/events")).status).toBe(200)
      }))
  })
})
