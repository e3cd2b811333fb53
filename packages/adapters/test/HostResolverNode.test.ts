import { AgentUrl } from "@berth/core"
import { HostResolverNode } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"

// Loopback-only names: no external DNS traffic.
describe("HostResolverNode", () => {
  it.live("resolves localhost to loopback addresses", () =>
    Effect.gen(function* () {
      const r = yield* AgentUrl.HostResolver
      const addrs = yield* r.resolve("localhost")
      expect(addrs.length).toBeGreaterThan(0)
      expect(addrs.every((a) => a === "::1" || a.startsWith("127."))).toBe(true)
    }).pipe(Effect.provide(HostResolverNode.layer)))
})
