import { AgentUrl } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"

const dns: Record<string, ReadonlyArray<string>> = { "agent.example": ["93.184.216.34"], "evil.example": ["8.8.8.8", "10.1.2.3"], "meta.example": ["169.254.169.254"] }
// A real table-backed implementation of the port (no network), not a mock of a real component.
const Resolver = Layer.succeed(AgentUrl.HostResolver, {
  resolve: (host) => {
    const a = dns[host]
    return a === undefined ? Effect.fail(new AgentUrl.ResolveFailed({ host, reason: "NXDOMAIN" })) : Effect.succeed(a)
  }
})
const msg = (url: string, saas: boolean) =>
  Effect.map(Effect.either(Effect.provide(AgentUrl.check(url, saas), Resolver)), (e) => (Either.isLeft(e) ? e.left.message : "ok"))

describe("AgentUrl", () => {
  it.each([
    ["169.254.169.254", "link-local address (cloud metadata)"], ["127.0.0.1", "loopback address"], ["::1", "IPv6 loopback address"],
    ["fe80::1", "IPv6 link-local address"], ["192.0.2.5", "documentation address (TEST-NET-1)"], ["198.51.100.1", "documentation address (TEST-NET-2)"],
    ["203.0.113.9", "documentation address (TEST-NET-3)"], ["100.64.0.1", "carrier-grade NAT address"], ["239.1.1.1", "multicast address"],
    ["fc00::1", "IPv6 unique local address"], ["2001:db8::1", "IPv6 documentation address"], ["::ffff:127.0.0.1", "loopback address"],
    ["8.8.8.8", undefined], ["100.128.0.1", undefined], ["2606:4700::1111", undefined]
  ])("always: %s", (ip, label) => {
    expect(AgentUrl.blockedLabel(ip, true)).toBe(label)
    expect(AgentUrl.blockedLabel(ip, false)).toBe(label)
  })
  it.each(["10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fd12::1"])("private only outside saas: %s", (ip) => {
    expect(AgentUrl.blockedLabel(ip, true)).toBeUndefined()
    expect(AgentUrl.blockedLabel(ip, false)).toMatch(/RFC-1918 private address|IPv6 unique local address/)
  })
  it("172.32.0.1 is not RFC-1918", () => expect(AgentUrl.blockedLabel("172.32.0.1", false)).toBeUndefined())
  it.effect("check", () =>
    Effect.gen(function* () {
      expect(yield* msg("http://localhost:8000/a2a", false)).toBe("ok")
      expect(yield* msg("https://agent.example/x", false)).toBe("ok")
      expect(yield* msg("ftp://agent.example/x", false)).toBe("url scheme must be http or https")
      expect(yield* msg("http://10.0.0.5:80", false)).toBe("url targets a blocked address: RFC-1918 private address")
      expect(yield* msg("http://10.0.0.5:80", true)).toBe("ok")
      expect(yield* msg("http://[::1]:80/", true)).toBe("url targets a blocked address: IPv6 loopback address")
      expect(yield* msg("http://evil.example", false)).toBe("url targets a blocked address: RFC-1918 private address")
      expect(yield* msg("http://meta.example", true)).toBe("url targets a blocked address: link-local address (cloud metadata)")
      expect((yield* msg("http://nowhere.example", true)).startsWith("url host could not be resolved")).toBe(true)
    }))
  it.each([
    [{ MOLECULE_DEPLOY_MODE: "saas" }, true], [{ MOLECULE_DEPLOY_MODE: "self-hosted", MOLECULE_ORG_ID: "o" }, false],
    [{ MOLECULE_DEPLOY_MODE: "selfhosted" }, false], [{ MOLECULE_DEPLOY_MODE: "standalone" }, false],
    [{ MOLECULE_ORG_ID: "o" }, true], [{}, false], [{ MOLECULE_ORG_ID: "" }, false]
  ])("saasMode %j", (env, saas) => {
    expect(AgentUrl.saasMode(env)).toEqual({ saas, warning: undefined })
  })
  it("unknown deploy mode warns and is false", () => {
    const r = AgentUrl.saasMode({ MOLECULE_DEPLOY_MODE: "weird", MOLECULE_ORG_ID: "o" })
    expect(r.saas).toBe(false)
    expect(r.warning).toContain("weird")
  })
})
