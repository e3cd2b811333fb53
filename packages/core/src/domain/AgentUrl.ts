/**
 * Agent URL check (contract §9.6) and saasMode derivation (§1). Name resolution goes through the HostResolver port.
 */
import { Context, Data, Effect } from "effect"
import { InvalidInput } from "./Errors.js"

/** Resolving a host name failed (the check then refuses the URL). */
export class ResolveFailed extends Data.TaggedError("ResolveFailed")<{ readonly host: string; readonly reason: string }> {}

/** Port: resolve a host name to all its addresses. */
export class HostResolver extends Context.Tag("@berth/core/HostResolver")<
  HostResolver,
  { readonly resolve: (host: string) => Effect.Effect<ReadonlyArray<string>, ResolveFailed> }
>() {}

/** §1 saasMode: MOLECULE_DEPLOY_MODE wins; unknown values are false with a warning; unset → org id present. */
export const saasMode = (env: Readonly<Record<string, string | undefined>>): { readonly saas: boolean; readonly warning: string | undefined } => {
  const mode = env["MOLECULE_DEPLOY_MODE"] ?? ""
  if (mode === "saas") return { saas: true, warning: undefined }
  if (mode === "self-hosted" || mode === "selfhosted" || mode === "standalone") return { saas: false, warning: undefined }
  if (mode !== "") return { saas: false, warning: `unknown MOLECULE_DEPLOY_MODE "${mode}", treating as self-hosted` }
  return { saas: (env["MOLECULE_ORG_ID"] ?? "") !== "", warning: undefined }
}

interface Range { readonly bits: ReadonlyArray<number>; readonly prefix: number; readonly label: string }

const parseV4 = (s: string): ReadonlyArray<number> | undefined => {
  const parts = s.split(".")
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.map(Number)
}

/** 16 bytes of an IPv6 literal (IPv4-mapped tails allowed), or undefined. */
const parseV6 = (s: string): ReadonlyArray<number> | undefined => {
  const input = s.split("%")[0] ?? ""
  let tail: Array<number> = []
  let head = input
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(input)
  if (v4 !== null) {
    const b = parseV4(v4[1] ?? "")
    if (b === undefined) return undefined
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!]
    head = input.slice(0, input.length - (v4[1] ?? "").length)
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1)
  }
  const halves = head.split("::")
  if (halves.length > 2) return undefined
  const group = (h: string) => (h === "" ? [] : h.split(":"))
  const groups = [...group(halves[0] ?? ""), ...(halves.length === 2 ? ["*"] : []), ...group(halves[1] ?? "")]
  if (!groups.every((g) => g === "*" || /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  const known = groups.filter((g) => g !== "*").length + tail.length
  if (halves.length === 2 ? known > 7 : known !== 8) return undefined
  const words = groups.flatMap((g) => (g === "*" ? Array<number>(8 - known).fill(0) : [parseInt(g, 16)]))
  return [...words, ...tail].flatMap((w) => [w >> 8, w & 0xff])
}

const v4 = (cidr: string, label: string): Range => {
  const [a, p] = cidr.split("/")
  return { bits: parseV4(a ?? "") ?? [], prefix: Number(p), label }
}
const v6 = (cidr: string, label: string): Range => {
  const [a, p] = cidr.split("/")
  return { bits: parseV6(a ?? "") ?? [], prefix: Number(p), label }
}

/** Always refused, whatever the mode. */
export const ALWAYS_BLOCKED: ReadonlyArray<Range> = [
  v4("169.254.0.0/16", "link-local address (cloud metadata)"),
  v4("127.0.0.0/8", "loopback address"),
  v6("fe80::/10", "IPv6 link-local address"),
  v6("::1/128", "IPv6 loopback address"),
  v4("192.0.2.0/24", "documentation address (TEST-NET-1)"),
  v4("198.51.100.0/24", "documentation address (TEST-NET-2)"),
  v4("203.0.113.0/24", "documentation address (TEST-NET-3)"),
  v4("100.64.0.0/10", "carrier-grade NAT address"),
  v4("224.0.0.0/4", "multicast address"),
  v6("fc00::/8", "IPv6 unique local address"),
  v6("2001:db8::/32", "IPv6 documentation address")
]

/** Refused only outside saasMode (a SaaS tenant's agents legitimately live on private networks). */
export const PRIVATE_BLOCKED: ReadonlyArray<Range> = [
  v4("10.0.0.0/8", "RFC-1918 private address"),
  v4("172.16.0.0/12", "RFC-1918 private address"),
  v4("192.168.0.0/16", "RFC-1918 private address"),
  v6("fd00::/8", "IPv6 unique local address")
]

const inRange = (addr: ReadonlyArray<number>, r: Range): boolean => {
  if (addr.length !== r.bits.length) return false
  for (let bit = 0; bit < r.prefix; bit++) {
    const mask = 0x80 >> (bit % 8)
    if (((addr[bit >> 3] ?? 0) & mask) !== ((r.bits[bit >> 3] ?? 0) & mask)) return false
  }
  return true
}

// IPv4-mapped IPv6 (::ffff:a.b.c.d) is checked as the IPv4 address it carries.
const toBytes = (ip: string): ReadonlyArray<number> | undefined => {
  const b4 = parseV4(ip)
  if (b4 !== undefined) return b4
  const b6 = parseV6(ip)
  if (b6 === undefined) return undefined
  const mapped = b6.slice(0, 10).every((x) => x === 0) && b6[10] === 0xff && b6[11] === 0xff
  return mapped ? b6.slice(12) : b6
}

/** Label of the blocked range an IP literal falls in, or undefined; non-IP input → undefined. */
export const blockedLabel = (ip: string, saas: boolean): string | undefined => {
  const bytes = toBytes(ip)
  if (bytes === undefined) return undefined
  const ranges = saas ? ALWAYS_BLOCKED : [...ALWAYS_BLOCKED, ...PRIVATE_BLOCKED]
  return ranges.find((r) => inRange(bytes, r))?.label
}

const refuse = (message: string) => Effect.fail(new InvalidInput({ message }))

/** Check an agent URL: scheme, IP literal ranges, `localhost` allowed, other names resolved and every address checked. */
export const check = (raw: string, saas: boolean): Effect.Effect<void, InvalidInput, HostResolver> =>
  Effect.gen(function* () {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(raw)
    if (m === null) return yield* refuse("invalid url")
    const scheme = (m[1] ?? "").toLowerCase()
    if (scheme !== "http" && scheme !== "https") return yield* refuse("url scheme must be http or https")
    const hostRaw = m[2] ?? ""
    const host = hostRaw.startsWith("[") ? hostRaw.slice(1, -1) : hostRaw.toLowerCase()
    if (host === "") return yield* refuse("invalid url")
    if (host === "localhost") return
    if (toBytes(host) !== undefined) {
      const label = blockedLabel(host, saas)
      return label === undefined ? undefined : yield* refuse(`url targets a blocked address: ${label}`)
    }
    const resolver = yield* HostResolver
    const addrs = yield* Effect.mapError(resolver.resolve(host), () => new InvalidInput({ message: `url host could not be resolved: ${host}` }))
    if (addrs.length === 0) return yield* refuse(`url host could not be resolved: ${host}`)
    for (const a of addrs) {
      const label = blockedLabel(a, saas)
      if (label !== undefined) return yield* refuse(`url targets a blocked address: ${label}`)
    }
  })
