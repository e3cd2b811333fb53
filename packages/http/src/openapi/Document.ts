/**
 * Completes the generated `/openapi.json`: the package version, the guards as security schemes (so Swagger's
 * Authorize sends them), summaries and descriptions, examples of the main bodies, `required` where the handler
 * enforces more than the loose wire schema says, and the raw `/ws` route. Documentation only: the guards stay the
 * route middleware and handler rules they are; nothing here changes an answer.
 */
import { HttpApi } from "@effect/platform"
import type { HttpApiGroup } from "@effect/platform"
import { createRequire } from "node:module"
import { allowlist } from "../edge/TenantGuard.js"
import { AdminAuth } from "../guards/AdminAuth.js"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { type Guard, operations } from "./Operations.js"

export const version: string = (createRequire(import.meta.url)("../../package.json") as { version: string }).version

/** The scheme names: the two bearers and, on a tenant instance (`MOLECULE_ORG_ID`), the org header. */
export const schemes = {
  admin: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN, an org token, or (without ADMIN_TOKEN) any live workspace token." },
  workspace: { type: "http", scheme: "bearer", description: "A live token of the workspace in the path (or in the body, for the registry)." },
  org: { type: "apiKey", in: "header", name: "X-Molecule-Org-Id", description: "Tenant mode only: the instance's MOLECULE_ORG_ID; without it every non-public route answers 404." }
} as const

type Requirement = Record<string, ReadonlyArray<string>>

/** Alternatives (OpenAPI ORs them): the guard alone, or with the org header on a tenant instance. */
export const requirements = (guard: Guard, path: string): ReadonlyArray<Requirement> => {
  const base: Requirement = guard === "open" ? {} : { [guard]: [] }
  return allowlist.has(path) ? [base] : [base, { ...base, org: [] }]
}

interface Operation {
  summary?: string
  description?: string
  security?: ReadonlyArray<Requirement>
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown>; example?: unknown }> }
}
interface Spec {
  info: Record<string, unknown>
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Record<string, unknown>>; securitySchemes?: Record<string, unknown> }
}

const uuid = "3f2b8a8e-6c1d-4d0e-9a53-7f3c2b1e4d5a"
const examples: Readonly<Record<string, unknown>> = {
  "workspaces.create": { name: "research-agent", role: "researcher", external: true },
  "registry.register": { id: uuid, url: "http://127.0.0.1:8000", agent_card: { name: "research-agent", skills: [] } },
  "registry.heartbeat": { workspace_id: uuid, error_rate: 0, active_tasks: 1, uptime_seconds: 120, current_task: "indexing" },
  "registry.updateCard": { workspace_id: uuid, agent_card: { name: "research-agent", skills: [] } },
  "restart.restart": { apply_template: true, reset: false }
}

/** Fields a handler refuses to go without although the wire schema keeps them optional (for its error order). */
const required: Readonly<Record<string, Record<string, unknown>>> = {
  "registry.heartbeat": { required: ["workspace_id"] },
  "registry.updateCard": { required: ["workspace_id", "agent_card"] },
  "registry.register": { anyOf: [{ required: ["id"] }, { required: ["workspace_id"] }] }
}

const ws: Operation & Record<string, unknown> = {
  operationId: "eventSocket",
  tags: ["eventSocket"],
  summary: "Event WebSocket",
  description: "Upgrades to a WebSocket of §6 event envelopes `{event, workspace_id, timestamp, payload}`. Without " +
    "`X-Workspace-ID` (the canvas) every event; with it (an agent, which must send its workspace bearer) only events of " +
    "workspaces it may communicate with. A browser Origin must be in CORS_ORIGINS.",
  parameters: [{ name: "x-workspace-id", in: "header", required: false, schema: { type: "string", format: "uuid" } }],
  responses: {
    "101": { description: "Switching protocols; frames are JSON event envelopes" },
    "400": { description: "invalid workspace ID" },
    "401": { description: "The registry token gate refused the bearer" },
    "403": { description: "origin not allowed" }
  }
}

const schemaOf = (spec: Spec, op: Operation): Record<string, unknown> | undefined => {
  const schema = op.requestBody?.content?.["application/json"]?.schema
  const ref = schema?.["$ref"]
  return typeof ref === "string" ? spec.components?.schemas?.[ref.replace("#/components/schemas/", "")] : schema
}

/** The transform for `OpenApi.Transform`, given the Api it documents. */
export const transform = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>
) => (input: Record<string, unknown>): Record<string, unknown> => {
  const spec = input as unknown as Spec
  spec.info = { ...spec.info, version }
  spec.components = { ...spec.components, securitySchemes: { ...spec.components?.securitySchemes, ...schemes } }
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ group, endpoint, middleware }) => {
      const id = `${group.identifier}.${endpoint.name}`
      const path = endpoint.path.replace(/:(\w+)/g, "{$1}")
      const op = spec.paths[path]?.[endpoint.method.toLowerCase()]
      if (op === undefined) return
      const doc = operations[id]
      const has = (key: string) => [...middleware].some((m) => m.key === key)
      const guard: Guard = has(AdminAuth.key) ? "admin" : has(WorkspaceAuth.key) ? "workspace" : doc?.guard ?? "open"
      op.security = requirements(guard, endpoint.path)
      if (doc !== undefined) Object.assign(op, { summary: doc.summary, description: doc.description })
      const media = op.requestBody?.content?.["application/json"]
      if (media !== undefined && examples[id] !== undefined) media.example = examples[id]
      const schema = schemaOf(spec, op)
      if (schema !== undefined && required[id] !== undefined) Object.assign(schema, required[id])
    }
  })
  spec.paths["/ws"] = { get: { ...ws, security: [...requirements("open", "/ws"), ...requirements("workspace", "/ws")] } }
  return spec as unknown as Record<string, unknown>
}
