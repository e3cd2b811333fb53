import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { json, send, testServer } from "./support/TestServer.js"

describe("GET /templates (§5.9)", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("one element per parseable template; optional fields omitted; base_url always a string", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/templates")
        expect(answer.status).toBe(200)
        const templates = json(answer) as Array<Record<string, unknown>>
        const byId = new Map(templates.map((t) => [t["id"], t]))
        expect([...byId.keys()].sort()).toEqual(["bare", "full"])
        expect(byId.get("full")).toEqual({
          id: "full",
          name: "Full Agent",
          description: "all fields",
          tier: 2,
          runtime: "claude-code",
          model: "sonnet",
          models: [{ id: "sonnet", name: "Claude Sonnet", required_env: ["CLAUDE_CODE_OAUTH_TOKEN"] }],
          required_env: ["CLAUDE_CODE_OAUTH_TOKEN"],
          providers: ["anthropic-oauth", "minimax"],
          provider_registry: [
            { name: "anthropic-oauth", auth_mode: "oauth", model_aliases: ["sonnet", "opus"], auth_env: ["CLAUDE_CODE_OAUTH_TOKEN"], base_url: "" },
            { name: "minimax", auth_mode: "api_key", model_prefixes: ["minimax/"], base_url: "https://api.minimax.io/anthropic", auth_env: ["MINIMAX_API_KEY"] }
          ],
          skills: ["code-review"],
          skill_count: 1,
          provision_timeout_seconds: 900
        })
        expect(byId.get("bare")).toEqual({
          id: "bare",
          name: "Bare Agent",
          description: "minimal",
          tier: 1,
          runtime: "hermes",
          model: "nousresearch/hermes-4",
          skills: [],
          skill_count: 0
        })
      }))
  })
})
