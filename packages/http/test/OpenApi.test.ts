/**
 * `GET /openapi.json` is a well-formed OpenAPI 3.x document that lists every route of the `Api`: the route table is
 * walked from the definition, so a route added later is checked without editing this test.
 */
import { HttpApi } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { Api } from "../src/Api.js"
import { json, send, testServer } from "./support/TestServer.js"

interface Parameter { readonly name?: unknown; readonly in?: unknown; readonly required?: unknown; readonly schema?: unknown }
interface Operation {
  readonly operationId?: unknown
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content?: Record<string, unknown> }
  readonly responses?: Record<string, { readonly description?: unknown }>
}
interface Document {
  readonly openapi: string
  readonly info: { readonly title?: unknown; readonly version?: unknown }
  readonly paths: Record<string, Record<string, Operation>>
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
  if (!/^3\.\d+\.\d+$/.test(doc.openapi)) found.push(`openapi ${doc.openapi}`)
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
    it.effect("a valid OpenAPI 3.x document with every route of the Api", () =>
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
        expect(documented.sort()).toEqual([...routes].sort())
        // the Berth additions are described where clients look for them
        expect(doc.paths["/workspaces"]?.["post"]?.parameters?.map((p) => [p.name, p.in])).toContainEqual(["idempotency-key", "header"])
        expect(doc.paths["/workspaces"]?.["get"]?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["cursor", "limit"]))
      }))
  })
})
