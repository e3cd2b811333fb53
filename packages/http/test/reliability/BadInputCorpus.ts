/**
 * The bad-input corpus (issue 10), generated from the route table: for every route, every path and query parameter
 * and every body field, requests the contract says must be refused — malformed and non-object JSON, wrong JSON types,
 * empty, huge and unicode strings, non-UUID ids, negative and overflowing numbers, missing required and extra fields,
 * wrong content types, bad and missing tokens. Generic cases come from the schemas; value rules a schema cannot
 * express (a query parameter that must be a positive integer, a field's allowed values) come from the contract's
 * tables, quoted next to each rule. Cases are bad by construction: every other part of the request is valid.
 */
import { limits } from "../../src/wire/Limits.js"
import type { Request } from "./Exchange.js"
import type { JsonSchema, Method, Route } from "./RouteTable.js"
import { fill, resolve } from "./RouteTable.js"

/** What a case may use: a live workspace with its token, another one, a revoked token, the admin token. */
export interface Fixtures {
  readonly workspace: { readonly id: string; readonly token: string }
  readonly other: { readonly id: string; readonly token: string }
  readonly revokedToken: string
  readonly adminToken: string
  /** A fresh UUID per call (ids that exist nowhere). */
  readonly freshId: () => string
}

export interface Case {
  /** `<what> · <route> · <detail>`, for failure messages and counts. */
  readonly label: string
  readonly kind: "path" | "query" | "body" | "content-type" | "token" | "nul" | "limit" | "head"
  readonly request: Request
}

/** A huge body field; what travels in the request head stays under Node's 16 KiB header limit (beyond it Node answers 431 itself). */
const huge = "x".repeat(64 * 1024)
const longInHead = "x".repeat(8 * 1024)
/**
 * Strings that are no workspace id (nor any UUID). Empty, "/" and ".." are left out: they change the route, not the
 * id; path segments over 100 characters (the router's limit: such a path matches no route) are `segmentCases`.
 */
export const notIds: ReadonlyArray<string> = [
  "not-a-uuid", "1", "-1", "0", "99999999999999999999999999", "00000000-0000-0000-0000-00000000000g",
  "123e4567-e89b-12d3-a456-42661417400", "☃", "😀👩‍💻", "' OR '1'='1", "\u0000", "x".repeat(100), " "
]

const malformedJson: ReadonlyArray<string> = [
  "{", "{\"a\":", "nul", "[1,2", "{'single': 1}", "{} trailing", "{\"a\":1,}", "\u0000", "{\"a\": NaN}", "\uFEFF{}"
]
const nonObjects: ReadonlyArray<string> = ["[]", "null", "42", "\"text\"", "true", "[{}]"]

/** JSON values of every type but `type` (and never null, which nullable fields accept). */
const wrongTypes = (type: string): ReadonlyArray<unknown> => {
  const all: Record<string, unknown> = { string: "text", number: 42, boolean: true, object: { a: 1 }, array: [1] }
  return Object.entries(all).filter(([t]) => t !== type && !(type === "number" && t === "integer")).map(([, v]) => v)
}

/** The JSON type a field declares (`anyOf` with null: the non-null member), or undefined for `unknown`. */
const typeOf = (schema: JsonSchema): string | undefined => {
  const node = resolve(schema)
  if (node.type !== undefined) return node.type === "integer" ? "number" : node.type
  const members = (node.anyOf ?? []).map(resolve).filter((m) => m.type !== "null")
  return members.length === 1 ? typeOf(members[0]!) : undefined
}

const isIdParameter = (name: string) => name === "id" || /Id$/.test(name)

/** Value rules of query parameters (§5.10 activity); "" is left out everywhere: Go reads it as absent. */
const queryRules: Readonly<Record<string, ReadonlyArray<string>>> = {
  // "canvas → source_id IS NULL; agent → not null; else 400"
  source: ["CANVAS", "agents", "canvas,agent", "☃", longInHead],
  // "a UUID, else 400"
  peer_id: notIds,
  since_id: notIds,
  // "strict RFC 3339 with zone (fractions allowed), else 400"
  before_ts: ["2026-05-01", "2026-05-01T00:00:00", "2026-05-01 00:00:00Z", "2026-13-01T00:00:00Z", "1777593600", "yesterday", "☃"],
  // "positive integer, else 400"
  since_secs: ["0", "-1", "-99999999999999999999", "1.5", "abc", "5 seconds", "☃"],
  // cursor pages (a Berth addition): a cursor the server did not hand out → 400 invalid cursor
  cursor: ["not-a-cursor", "☃", "%%", "eyJ4IjoxfQ", longInHead]
}

/** Body fields whose values the contract restricts beyond their JSON type, per route; the rest of the body is valid. */
interface BodyRule {
  readonly base: (f: Fixtures) => Record<string, unknown>
  readonly values: Readonly<Record<string, ReadonlyArray<unknown>>>
  /** Bodies missing something required, with extra fields that must not make up for it (a string is raw JSON). */
  readonly incomplete: ReadonlyArray<Record<string, unknown> | string>
}

const card = { name: "agent" }
const secretsRule: BodyRule = {
  base: () => ({ key: "RELIABILITY_KEY", value: "v" }),
  values: {},
  incomplete: [{}, { key: "ONLY_KEY" }, { value: "only value" }, { key: "", value: "v", extra: 1 }]
}
const badDeliveryModes = ["PUSH", "pull", "push ", "☃", huge, ""]

const bodyRules: Readonly<Record<string, BodyRule>> = {
  // §5.11 rule 1: bad JSON or missing id → 400; non-UUID → 400; agent_card must be an object; delivery_mode push|poll
  "POST /registry/register": {
    base: (f) => ({ id: f.freshId(), agent_card: card, delivery_mode: "poll" }),
    values: { id: notIds, agent_card: ["card", 1, [], true], delivery_mode: badDeliveryModes.filter((m) => m !== "") },
    incomplete: [
      { agent_card: card }, { id: "", agent_card: card }, { workspace_id: "", agent_card: card, extra: true },
      "{\"__proto__\":{\"id\":\"00000000-0000-4000-8000-000000000002\"},\"agent_card\":{}}"
    ]
  },
  "POST /registry/heartbeat": {
    base: (f) => ({ workspace_id: f.freshId() }),
    values: { workspace_id: notIds },
    incomplete: [{}, { error_rate: 0.1, active_tasks: 1 }, { workspace_id: "", constructor: { prototype: { admin: true } } }]
  },
  "POST /registry/update-card": {
    base: (f) => ({ workspace_id: f.freshId(), agent_card: card }),
    values: { workspace_id: notIds },
    incomplete: [{ agent_card: card }, { workspace_id: "", agent_card: card, extra: [1, 2] }]
  },
  // §5.10: activity_type required and allowed; a non-empty source_id other than :id → 403
  "POST /workspaces/:id/activity": {
    base: () => ({ activity_type: "a2a_send" }),
    values: { activity_type: ["no_such_type", "A2A_SEND", "", "☃", huge], source_id: ["00000000-0000-4000-8000-000000000001"] },
    incomplete: [{}, { summary: "no type", unexpected: { nested: true } }]
  },
  // §5.8: key and value both required (an empty value is a delete: valid)
  "POST /admin/secrets": secretsRule,
  "PUT /settings/secrets": secretsRule,
  "POST /settings/secrets": secretsRule,
  // §5.11.1: both ids required, each a workspace id
  "POST /registry/check-access": {
    base: (f) => ({ caller_id: f.workspace.id, target_id: f.other.id }),
    values: { caller_id: notIds, target_id: notIds },
    incomplete: [{}, { target_id: "00000000-0000-4000-8000-000000000001" }, { caller_id: "", target_id: "", extra: 1 }]
  },
  "POST /workspaces/:id/secrets": secretsRule,
  "PUT /workspaces/:id/secrets": secretsRule,
  // §5.2 rules 1–7; the rest of the body is a valid create, so each case is refused for its one field
  "POST /workspaces": {
    base: () => ({ name: "reliability case" }),
    values: {
      name: ["", "two\nlines", "carriage\rreturn", "{braces}", "[brackets]", "pipe|d", "gt>", "star*", "amp&", "bang!", "n".repeat(256)],
      role: ["two\nlines", "{x}", "r".repeat(1001)],
      model: ["two\nlines", "m".repeat(101)],
      runtime: ["two\nlines", "r".repeat(101)],
      tier: [-1, 5, 2.5, 99999999999999999999],
      budget_limit: [-1, -99999999999999999999, 0.5, 1e20],
      max_concurrent_tasks: [1.5, 2 ** 31, 1e12, 2 ** 53],
      delivery_mode: badDeliveryModes.filter((m) => m !== ""),
      workspace_dir: ["relative/dir", "/etc/agent", "/usr/lib/x", "/tmp/../etc", "/proc/1"],
      workspace_access: ["all", "READ_ONLY", "read_only", "read_write"],
      template: ["../outside", "/etc/passwd", "a/../../b"],
      parent_id: ["00000000-0000-4000-8000-000000000003", "not-a-uuid", "\u0000"],
      secrets: [{ KEY: 1 }, { KEY: { nested: true } }, { KEY: null }],
      canvas: [{ x: "left" }, { x: 1, y: [] }]
    },
    incomplete: [{}, { role: "no name", extra: true }, { name: null }, "{\"__proto__\":{\"name\":\"x\"}}"]
  },
  // §5.4.1: each field validated as create validates it; a new parent must exist
  "PATCH /workspaces/:id": {
    base: () => ({}),
    values: {
      name: ["", "two\nlines", "{braces}", "pipe|d", "n".repeat(256)],
      role: ["two\nlines", "{x}", "r".repeat(1001)],
      runtime: ["two\nlines", "r".repeat(101), "no-such-runtime"],
      tier: [-1, 5, 2.5, 99999999999999999999],
      workspace_dir: ["relative/dir", "/etc/agent", "/usr/lib/x", "/tmp/../etc", "/proc/1"],
      parent_id: ["00000000-0000-4000-8000-000000000003", "not-a-uuid", " "]
    },
    incomplete: []
  },
  // §5.6 rule 4: an explicit template is validated as in create
  "POST /workspaces/:id/restart": {
    base: () => ({}),
    values: { template: ["../outside", "/etc/passwd", "a/../../b"] },
    incomplete: []
  }
}

/** Routes whose body may be empty (§5.6 rule 4): for them an empty body is no bad input. */
const emptyBodyAllowed: ReadonlySet<string> = new Set(["POST /workspaces/:id/restart"])

/** A valid value for a path parameter: the fixture workspace for ids (its own routes), a plain key otherwise. */
const validPathValue = (f: Fixtures) => (name: string) =>
  name === "tokenId" ? f.freshId() : isIdParameter(name) ? f.workspace.id : "RELIABILITY_KEY"

const admin = (f: Fixtures) => ({ authorization: `Bearer ${f.adminToken}` })
const routeName = (route: Route) => `${route.method} ${route.template}`
const hasBody = (method: Method) => method !== "GET" && method !== "DELETE"

const request = (route: Route, f: Fixtures, parts: Partial<Request> & { readonly query?: string } = {}): Request => {
  const { query, ...rest } = parts
  return {
    method: route.method,
    path: fill(route.template, validPathValue(f)) + (query === undefined ? "" : `?${query}`),
    headers: admin(f),
    ...(hasBody(route.method) ? { body: "{}" } : {}),
    ...rest
  }
}

const pathCases = (route: Route, f: Fixtures): ReadonlyArray<Case> =>
  route.parameters.filter((p) => p.in === "path" && isIdParameter(p.name)).flatMap((p) =>
    notIds.map((value): Case => ({
      label: `path ${p.name}=${JSON.stringify(value.slice(0, 40))} · ${routeName(route)}`,
      kind: "path",
      request: request(route, f, { path: fill(route.template, (name) => (name === p.name ? value : validPathValue(f)(name))) })
    })))

/** Path segments the router cannot match (over its 100 characters) and NUL, in every path parameter (issue 15). */
const overlongSegments = ["x".repeat(101), "k".repeat(4000), "\u0000", "a\u0000b"]
const segmentCases = (route: Route, f: Fixtures): ReadonlyArray<Case> =>
  route.parameters.filter((p) => p.in === "path").flatMap((p) =>
    overlongSegments.map((value): Case => ({
      label: `path ${p.name}=${JSON.stringify(value.slice(0, 20))}… (${value.length}) · ${routeName(route)}`,
      kind: value.includes("\u0000") ? "nul" : "path",
      request: request(route, f, { path: fill(route.template, (name) => (name === p.name ? value : validPathValue(f)(name))) })
    })))

/** U+0000 in every query parameter, however it is spelled. */
const nulQueryCases = (route: Route, f: Fixtures): ReadonlyArray<Case> =>
  route.parameters.filter((p) => p.in === "query").flatMap((p) =>
    ["%00", "a%00b", "%00%00"].map((value): Case => ({
      label: `query ${p.name}=${value} · ${routeName(route)}`,
      kind: "nul",
      request: request(route, f, { query: `${encodeURIComponent(p.name)}=${value}` })
    })))

/** Headers over Node's 16 KiB limit: answered by the listener (431), with JSON too. */
const headCases = (route: Route, f: Fixtures): ReadonlyArray<Case> => [
  { label: `oversized header · ${routeName(route)}`, kind: "head", request: request(route, f, { headers: { ...admin(f), "x-filler": "x".repeat(20 * 1024) } }) },
  { label: `oversized bearer · ${routeName(route)}`, kind: "head", request: request(route, f, { headers: { authorization: `Bearer ${"x".repeat(20 * 1024)}` } }) }
]

/** U+0000 in every string field of the body (and inside object fields), and every documented maximum plus one. */
const nulAndLimitCases = (route: Route, f: Fixtures): ReadonlyArray<Case> => {
  if (route.body === undefined) return []
  const base = bodyRules[routeName(route)]?.base(f) ?? {}
  const json = (kind: Case["kind"], what: string, body: Record<string, unknown>): Case => ({
    label: `${what} · ${routeName(route)}`,
    kind,
    request: request(route, f, { body: JSON.stringify(body) })
  })
  const nul = Object.entries(resolve(route.body).properties ?? {}).flatMap(([field, schema]) => {
    const type = typeOf(schema)
    if (type === "string") return [json("nul", `field ${field} with U+0000`, { ...base, [field]: "a\u0000b" })]
    if (type === "object" || type === undefined) {
      return [json("nul", `field ${field} with U+0000 inside`, { ...base, [field]: { name: "\u0000", ["k\u0000"]: "v" } })]
    }
    return []
  })
  const over = Object.entries(limits[routeName(route)] ?? {}).map(([field, limit]) => {
    const value = limit.kind === "text" ? "l".repeat(limit.max + 1)
      : limit.kind === "json" ? { pad: "j".repeat(limit.max) }
      : { ["K".repeat(limit.key + 1)]: "v" }
    return json("limit", `field ${field} over its maximum`, { ...base, [field]: value })
  })
  const mapValues = Object.entries(limits[routeName(route)] ?? {}).flatMap(([field, limit]) =>
    limit.kind === "map" ? [json("limit", `field ${field} value over its maximum`, { ...base, [field]: { KEY: "v".repeat(limit.value + 1) } })] : [])
  return [...nul, ...over, ...mapValues]
}

const queryCases = (route: Route, f: Fixtures): ReadonlyArray<Case> =>
  route.parameters.filter((p) => p.in === "query").flatMap((p) =>
    (queryRules[p.name] ?? []).map((value): Case => ({
      label: `query ${p.name}=${JSON.stringify(value.slice(0, 40))} · ${routeName(route)}`,
      kind: "query",
      request: request(route, f, { query: `${encodeURIComponent(p.name)}=${encodeURIComponent(value)}` })
    })))

const bodyCases = (route: Route, f: Fixtures): ReadonlyArray<Case> => {
  if (route.body === undefined) return []
  const rule = bodyRules[routeName(route)]
  const base = rule?.base(f) ?? {}
  const raw = (what: string, body: string, contentType = "application/json", kind: Case["kind"] = "body"): Case => ({
    label: `${what} ${JSON.stringify(body.slice(0, 40))} (${contentType}) · ${routeName(route)}`,
    kind,
    request: request(route, f, { body, contentType })
  })
  const json = (what: string, body: Record<string, unknown>): Case =>
    raw(what, JSON.stringify(body))
  const properties = Object.entries(resolve(route.body).properties ?? {})
  return [
    ...malformedJson.map((body) => raw("malformed JSON", body)),
    ...nonObjects.map((body) => raw("not an object", body)),
    ...(emptyBodyAllowed.has(routeName(route)) ? [] : [raw("empty body", "")]),
    // §0: bodies are JSON whatever their Content-Type says, so a bad body stays bad under any of them.
    ...["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/octet-stream"]
      .flatMap((type) => [raw("malformed JSON", "{", type, "content-type"), raw("form fields", "a=1&b=2", type, "content-type")]),
    raw("binary", "\u00ff\u00fe\u0000\u0001garbage", "application/octet-stream", "content-type"),
    ...properties.flatMap(([field, schema]) => {
      const type = typeOf(schema)
      if (type === undefined) return []
      return wrongTypes(type).map((value) => json(`field ${field}: ${JSON.stringify(value)} for ${type}`, { ...base, [field]: value }))
    }),
    ...Object.entries(rule?.values ?? {}).flatMap(([field, values]) =>
      values.map((value) => json(`field ${field}=${JSON.stringify(value).slice(0, 40)}`, { ...base, [field]: value }))),
    ...(rule?.incomplete ?? []).map((body) => (typeof body === "string" ? raw("incomplete", body) : json("incomplete", body)))
  ]
}

/** Bearers that must not pass a guard or the registry gate (the fixture workspace has a live token). */
const badBearers = (f: Fixtures): ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> => [
  ["no Authorization", {}],
  ["empty bearer", { authorization: "Bearer " }],
  ["scheme only", { authorization: "Bearer" }],
  ["garbage bearer", { authorization: "Bearer garbage" }],
  ["basic credentials", { authorization: "Basic YWRtaW46YWRtaW4=" }],
  ["admin token with a suffix", { authorization: `Bearer ${f.adminToken}x` }],
  ["revoked token", { authorization: `Bearer ${f.revokedToken}` }],
  ["huge bearer", { authorization: `Bearer ${longInHead}` }],
  ["unicode bearer", { authorization: "Bearer t\u00f6ken" }]
]

/** For the workspace guard, another workspace's live token is a bad token too; for AdminAuth so is any workspace token. */
const wrongOwners = (route: Route, f: Fixtures): ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> =>
  guardsOf(route).includes("AdminAuth") ? [["a workspace token", { authorization: `Bearer ${f.workspace.token}` }]]
  : [["another workspace's token", { authorization: `Bearer ${f.other.token}` }]]

const registryBodies: Readonly<Record<string, (f: Fixtures) => Record<string, unknown>>> = {
  "POST /registry/register": (f) => ({ id: f.workspace.id, agent_card: card }),
  "POST /registry/heartbeat": (f) => ({ workspace_id: f.workspace.id }),
  "POST /registry/update-card": (f) => ({ workspace_id: f.workspace.id, agent_card: card })
}

/**
 * Discovery (§5.11.1) has no route guard: it judges the bearer of the workspace the caller speaks for, the
 * `X-Workspace-ID` of discover and the `:id` of peers (the fixture workspace, which holds a live token).
 */
const callerHeaders: Readonly<Record<string, (f: Fixtures) => Readonly<Record<string, string>>>> = {
  "GET /registry/discover/:id": (f) => ({ "x-workspace-id": f.workspace.id }),
  "GET /registry/:id/peers": (f) => ({ "x-workspace-id": f.workspace.id })
}

/** The route's guards; `/admin/…` routes without a middleware check the admin token in their handler (§5.12). */
const guardsOf = (route: Route): ReadonlyArray<string> =>
  route.guards.length > 0 ? route.guards : route.template.startsWith("/admin/") ? ["AdminAuth"] : []

const tokenCases = (route: Route, f: Fixtures): ReadonlyArray<Case> => {
  const registry = registryBodies[routeName(route)]
  const caller = callerHeaders[routeName(route)]
  if (guardsOf(route).length === 0 && registry === undefined && caller === undefined) return []
  const body = registry === undefined ? {} : { body: JSON.stringify(registry(f)) }
  const owners = registry === undefined && caller === undefined
    ? wrongOwners(route, f)
    : [["another workspace's token", { authorization: `Bearer ${f.other.token}` }] as const]
  return [...badBearers(f), ...owners]
    .map(([what, headers]): Case => ({
      label: `token: ${what} · ${routeName(route)}`,
      kind: "token",
      request: request(route, f, { headers: { ...caller?.(f), ...headers }, ...body })
    }))
}

/** Every case for `routes`. */
export const corpus = (routes: ReadonlyArray<Route>, f: Fixtures): ReadonlyArray<Case> =>
  routes.flatMap((route) => [
    ...pathCases(route, f), ...segmentCases(route, f), ...queryCases(route, f), ...nulQueryCases(route, f), ...bodyCases(route, f),
    ...nulAndLimitCases(route, f), ...headCases(route, f), ...tokenCases(route, f)
  ])
