/**
 * The route table of the reliability suites, generated from the API description (the OpenAPI document HttpApi derives
 * from `Api`, the same one `/openapi.json` serves), plus the raw routes outside it. A route added to `Api` is walked
 * by every suite without editing them.
 */
import { HttpApi, OpenApi } from "@effect/platform"
import { Api } from "../../src/Api.js"

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** A JSON Schema node as OpenApi renders Effect schemas (only what the suites read). */
export interface JsonSchema {
  readonly type?: string
  readonly $ref?: string
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly enum?: ReadonlyArray<unknown>
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
}

export interface Parameter {
  readonly in: "path" | "query" | "header" | "cookie"
  readonly name: string
  readonly required: boolean
  readonly schema: JsonSchema
}

export interface Route {
  readonly method: Method
  /** Express-style template, as the router and RouteTemplates spell it: `/workspaces/:id/state`. */
  readonly template: string
  readonly parameters: ReadonlyArray<Parameter>
  /** The JSON body schema, when the route reads one. */
  readonly body: JsonSchema | undefined
  /** The route guards (HttpApi middleware) in front of the handler, by name: `WorkspaceAuth`, `AdminAuth`. */
  readonly guards: ReadonlyArray<string>
}

interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> }
}

/** The OpenAPI document of `Api`, as `/openapi.json` serves it. */
export const openApi = OpenApi.fromApi(Api)

const operationOf = (method: string, template: string): Operation | undefined => {
  const item = (openApi.paths as Readonly<Record<string, Readonly<Record<string, Operation | undefined>> | undefined>>)[
    template.replace(/:([A-Za-z_]+)/g, "{$1}")
  ]
  return item?.[method.toLowerCase()]
}

const collect = (): ReadonlyArray<Route> => {
  const routes: Array<Route> = []
  HttpApi.reflect(Api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, middleware }) => {
      const operation = operationOf(endpoint.method, endpoint.path)
      routes.push({
        method: endpoint.method as Method,
        template: endpoint.path,
        parameters: operation?.parameters ?? [],
        body: operation?.requestBody?.content?.["application/json"]?.schema,
        guards: [...middleware].map((tag) => tag.key.replace(/^.*\//, ""))
      })
    }
  })
  return routes
}

/** Every route of `Api`, in declaration order. */
export const apiRoutes: ReadonlyArray<Route> = collect()

/** Routes outside the HttpApi definition (the WebSocket and the documentation). */
export const rawRoutes: ReadonlyArray<Route> = ["/ws", "/openapi.json", "/docs"].map((template) => ({
  method: "GET",
  template,
  parameters: [],
  body: undefined,
  guards: []
}))

/** The template with each `:name` replaced by `value(name)` (URI-encoded). */
export const fill = (template: string, value: (name: string) => string): string =>
  template.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(value(name)))

/** A schema node with its `$ref` resolved against the document's components. */
export const resolve = (schema: JsonSchema): JsonSchema => {
  if (schema.$ref === undefined) return schema
  const name = schema.$ref.replace("#/components/schemas/", "")
  const target = (openApi.components.schemas as Readonly<Record<string, JsonSchema | undefined>>)[name]
  return target === undefined ? {} : resolve(target)
}
