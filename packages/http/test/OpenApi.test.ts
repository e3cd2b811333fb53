/**
 * `GET /openapi.json` is a well-formed OpenAPI 3.1 document that lists every route of the `Api` (and the raw `/ws`),
 * each with a summary and the security requirement of its guard: the route table is walked from the definition, so a
 * route added later is checked without editing this test.
 */
import { HttpApi } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { createRequire } from "node:module"
import { Api } from "../src/Api.js"
import { allowlist } from "../src/edge/TenantGuard.js"
import { HeartbeatPayload, RegisterPayload, UpdateCardPayload } from "../src/groups/Registry.js"
import { RestartPayload } from "../src/groups/Restart.js"
import { CreatePayload } from "../src/groups/Workspaces.js"
import { json, send, testServer } from "./support/TestServer.js"

interface Parameter { readonly name?: unknown; readonly in?: unknown; readonly required?: unknown; readonly schema?: unknown }
type Requirement = Record<string, ReadonlyArray<string>>
interface Operation {
  readonly operationId?: unknown
  readonly summary?: unknown
  readonly description?: unknown
  readonly security?: ReadonlyArray<Requirement>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content?: Record<string, { readonly example?: unknown; readonly schema?: { readonly required?: unknown; readonly anyOf?: unknown } }> }
  readonly responses?: Record<string, { readonly description?: unknown }>
}
interface Document {
  readonly openapi: string
  readonly info: { readonly title?: unknown; readonly version?: unknown }
  readonly paths: Record<string, Record<string, Operation>>
  readonly components?: { readonly securitySchemes?: Record<string, { readonly type?: unknown; readonly scheme?: unknown; readonly in?: unknown; readonly name?: unknown }> }
}

const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"])

/** Every `$ref` in the document, with the JSON pointer it names. */
const refsOf = (node: unknown, out: Array<string> = []): Array<string> => {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out))
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push(value)
      else refsOf(value, out)
    }
  }
  return out
}

const resolve = (doc: unknown, ref: string): unknown =>
  ref.replace(/^#\//, "").split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc)

/** The structural rules of OpenAPI 3.x this document must satisfy; returns the violations. */
const violations = (doc: Document): Array<string> => {
  const found: Array<string> = []
  if (!/^3\.1\.\d+$/.test(doc.openapi)) found.push(`openapi ${doc.openapi}`)
  const schemes = doc.components?.securitySchemes ?? {}
  for (const [name, scheme] of Object.entries(schemes)) {
    const ok = scheme.type === "http" ? typeof scheme.scheme === "string"
      : scheme.type === "apiKey" ? ["header", "query", "cookie"].includes(String(scheme.in)) && typeof scheme.name === "string"
      : false
    if (!ok) found.push(`security scheme ${name}`)
  }
  if (typeof doc.info?.title !== "string" || typeof doc.info?.version !== "string") found.push("info.title/version")
  const operationIds = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/")) found.push(`path ${path}`)
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
    for (const [method, op] of Object.entries(item)) {
      if (!methods.has(method)) continue
      const where = `${method.toUpperCase()} ${path}`
      if (typeof op.operationId === "string") {
        if (operationIds.has(op.operationId)) found.push(`${where}: duplicate operationId`)
        operationIds.add(op.operationId)
      }
      if (typeof op.summary !== "string" || op.summary === "") found.push(`${where}: no summary`)
      if (typeof op.description !== "string" || op.description === "") found.push(`${where}: no description`)
      if (!Array.isArray(op.security) || op.security.length === 0) found.push(`${where}: no security requirement`)
      for (const requirement of op.security ?? []) {
        for (const name of Object.keys(requirement)) if (schemes[name] === undefined) found.push(`${where}: unknown scheme ${name}`)
      }
      const responses = Object.entries(op.responses ?? {})
      if (responses.length === 0) found.push(`${where}: no responses`)
      for (const [status, response] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) found.push(`${where}: status ${status}`)
        if (typeof response.description !== "string") found.push(`${where} ${status}: no description`)
      }
      const params = op.parameters ?? []
      for (const p of params) {
        if (typeof p.name !== "string" || !["path", "query", "header", "cookie"].includes(String(p.in)) || p.schema === undefined) {
          found.push(`${where}: parameter ${JSON.stringify(p)}`)
        }
        if (p.in === "path" && (p.required !== true || !templated.includes(String(p.name)))) found.push(`${where}: path parameter ${String(p.name)}`)
      }
      for (const name of templated) {
        if (!params.some((p) => p.in === "path" && p.name === name)) found.push(`${where}: {${name}} undeclared`)
      }
      if (op.requestBody !== undefined && Object.keys(op.requestBody.content ?? {}).length === 0) found.push(`${where}: empty requestBody`)
    }
  }
  for (const ref of refsOf(doc)) {
    if (!ref.startsWith("#/") || resolve(doc, ref) === undefined) found.push(`unresolved $ref ${ref}`)
  }
  return found
}

describe("GET /openapi.json", () => {
  layer(testServer(), { timeout: "60 seconds" })((it) => {
    it.effect("a valid OpenAPI 3.1 document with every route of the Api", () =>
      Effect.gen(function* () {
        const answer = yield* send("GET", "/openapi.json")
        expect(answer.status).toBe(200)
        const doc = json(answer) as Document
        expect(violations(doc)).toEqual([])
        const routes: Array<string> = []
        HttpApi.reflect(Api, {
          onGroup: () => {},
          onEndpoint: ({ endpoint }) => { routes.push(`${endpoint.method.toLowerCase()} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`) }
        })
        expect(routes.length).toBeGreaterThan(30)
        const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
          Object.keys(item).filter((m) => methods.has(m)).map((m) => `${m} ${path}`))
        expect(documented.sort()).toEqual([...routes, "get /ws"].sort())
        // the Berth additions are described where clients look for them
        expect(doc.paths["/workspaces"]?.["post"]?.parameters?.map((p) => [p.name, p.in])).toContainEqual(["idempotency-key", "header"])
        expect(doc.paths["/workspaces"]?.["get"]?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["cursor", "limit"]))
        const pkg = createRequire(import.meta.url)("../package.json") as { version: string }
        expect(doc.info.version).toBe(pkg.version)
      }))

    it.effect("each operation's security is the guard of its route; tenant mode adds the org header off the allowlist", () =>
      Effect.gen(function* () {
        const doc = json(yield* send("GET", "/openapi.json")) as Document
        // rules the handlers run after decoding, so the route table cannot show them
        const inHandler: Record<string, string> = {
          "registry.register": "workspace", "registry.heartbeat": "workspace", "registry.updateCard": "workspace",
          "discovery.discover": "workspace", "discovery.peers": "workspace", "testToken.testToken": "admin"
        }
        const checked: Array<string> = []
        HttpApi.reflect(Api, {
          onGroup: () => {},
          onEndpoint: ({ group, endpoint, middleware }) => {
            const keys = [...middleware].map((m) => m.key)
            const id = `${group.identifier}.${endpoint.name}`
            const guard = keys.includes("@berth/http/AdminAuth") ? "admin"
              : keys.includes("@berth/http/WorkspaceAuth") ? "workspace" : inHandler[id] ?? "open"
            const base: Requirement = guard === "open" ? {} : { [guard]: [] }
            const expected = allowlist.has(endpoint.path) ? [base] : [base, { ...base, org: [] }]
            const path = endpoint.path.replace(/:(\w+)/g, "{$1}")
            checked.push(id)
            expect([id, doc.paths[path]?.[endpoint.method.toLowerCase()]?.security]).toEqual([id, expected])
          }
        })
        expect(checked).toEqual(expect.arrayContaining(["workspaces.create", "restart.restart", "system.health", "registry.heartbeat"]))
        expect(doc.components?.securitySchemes?.["admin"]).toMatchObject({ type: "http", scheme: "bearer" })
        expect(doc.components?.securitySchemes?.["org"]).toMatchObject({ type: "apiKey", in: "header", name: "X-Molecule-Org-Id" })
        expect(doc.paths["/ws"]?.["get"]?.security).toEqual([{}, { org: [] }, { workspace: [] }, { workspace: [], org: [] }])
      }))

    it.effect("the body examples decode with their wire schemas; the heartbeat's `required` is what the server enforces", () =>
      Effect.gen(function* () {
        const doc = json(yield* send("GET", "/openapi.json")) as Document
        const body = (path: string, method = "post") => doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]
        for (const [path, schema] of [
          ["/workspaces", CreatePayload], ["/registry/register", RegisterPayload], ["/registry/heartbeat", HeartbeatPayload],
          ["/registry/update-card", UpdateCardPayload], ["/workspaces/{id}/restart", RestartPayload]
        ] as const) {
          const example = body(path)?.example
          expect([path, example === undefined]).toEqual([path, false])
          expect([path, Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>)(example)._tag]).toEqual([path, "Right"])
        }
        expect(body("/registry/heartbeat")?.schema?.required).toEqual(["workspace_id"])
        expect(body("/registry/update-card")?.schema?.required).toEqual(["workspace_id", "agent_card"])
        expect(body("/registry/register")?.schema?.anyOf).toEqual([{ required: ["id"] }, { required: ["workspace_id"] }])
        // a body with none of the required fields is refused, as the document now says
        for (const path of ["/registry/heartbeat", "/registry/update-card", "/registry/register"]) {
          const refused = yield* send("POST", path, { body: "{}" })
          expect([path, refused.status]).toEqual([path, 400])
        }
      }))
  })
})
