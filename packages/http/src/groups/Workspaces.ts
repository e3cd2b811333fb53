/**
 * The workspace resource (§5.2–§5.5): create, list and delete behind AdminAuth, and `GET /workspaces/:id`, which
 * has no route guard. Create takes an optional `Idempotency-Key` header and the list opt-in cursor pagination
 * (both Berth additions, see the package README).
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { CreateRequest, WorkspaceStatus } from "@berth/core"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import {
  ConfirmationRequiredBody, ConflictBody, GoneBody, NotFoundBody, StopFailedBody, UnavailableBody
} from "../wire/Errors.js"
import { bodyMessage } from "../wire/Payloads.js"
import { workspaceIdParam } from "../wire/Params.js"

const text = Schema.optional(Schema.NullOr(Schema.String))
const integer = Schema.optional(Schema.NullOr(Schema.Int))

/** The message of create rule 1 (core's), also for a body that is not JSON at all. */
export const invalidWorkspacePayload = CreateRequest.invalidPayloadMessage

/** §5.2 fields; any wrong type (or a missing `name`) is `400 {"error":"invalid workspace payload"}` (rule 1). */
export const CreatePayload = Schema.Struct({
  name: Schema.String,
  role: text,
  template: text,
  tier: integer,
  model: text,
  runtime: text,
  external: Schema.optional(Schema.NullOr(Schema.Boolean)),
  url: text,
  workspace_dir: text,
  workspace_access: text,
  parent_id: text,
  /** Cents. */
  budget_limit: integer,
  /** Key → plaintext, stored encrypted with the row. */
  secrets: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String }))),
  max_concurrent_tasks: integer,
  /** Minutes without reported work before the idle sweep hibernates it (§2.4); absent: the template's, else the server's default. */
  hibernation_idle_minutes: Schema.optional(Schema.NullOr(Schema.Int)),
  canvas: Schema.optional(Schema.NullOr(Schema.Struct({
    x: Schema.optional(Schema.NullOr(Schema.Number)),
    y: Schema.optional(Schema.NullOr(Schema.Number))
  }))),
  delivery_mode: text
}).annotations(bodyMessage(invalidWorkspacePayload))

/** `Idempotency-Key` (a Berth addition): a retry with the same key and body gets the first answer again. */
export const CreateHeaders = Schema.Struct({ "idempotency-key": Schema.optional(Schema.String) })

/** The copy-paste connection block of an external workspace without a URL (§5.2); the token appears only here. */
export const Connection = Schema.Struct({
  workspace_id: Schema.String,
  platform_url: Schema.String,
  auth_token: Schema.String,
  registry_endpoint: Schema.String,
  heartbeat_endpoint: Schema.String,
  curl_register_template: Schema.String,
  python_snippet: Schema.String,
  claude_code_channel_snippet: Schema.String,
  universal_mcp_snippet: Schema.String
})

// On a union, HttpApi reads the status of each member, so each carries the 201.
const created = <A, I>(member: Schema.Schema<A, I>) => member.annotations(HttpApiSchema.annotations({ status: 201 }))

/** The three 201 answers of §5.2 rules 11 and 12, told apart by `status`. */
export const Created = Schema.Union(
  created(Schema.Struct({
    id: Schema.String,
    status: Schema.Literal("provisioning"),
    awareness_namespace: Schema.String,
    workspace_access: Schema.String
  })),
  created(Schema.Struct({ id: Schema.String, external: Schema.Literal(true), status: Schema.Literal("online") })),
  created(Schema.Struct({
    id: Schema.String,
    external: Schema.Literal(true),
    status: Schema.Literal("awaiting_agent"),
    connection: Connection
  }))
)

const Json = Schema.Unknown

/** What list and get share, in the contract's order (§5.3). */
const common = {
  id: Schema.String,
  name: Schema.String,
  role: Schema.NullOr(Schema.String),
  tier: Schema.Number,
  status: WorkspaceStatus.WorkspaceStatus,
  url: Schema.String,
  parent_id: Schema.NullOr(Schema.String),
  active_tasks: Schema.Number,
  max_concurrent_tasks: Schema.Number,
  last_error_rate: Schema.Number,
  last_sample_error: Schema.String
}

/** A `GET /workspaces` element (§5.3); `provision_timeout_ms` is omitted for external workspaces. */
export const WorkspaceElement = Schema.Struct({
  ...common,
  uptime_seconds: Schema.Number,
  current_task: Schema.String,
  runtime: Schema.String,
  workspace_dir: Schema.NullOr(Schema.String),
  monthly_spend: Schema.Number,
  x: Schema.Number,
  y: Schema.Number,
  collapsed: Schema.Boolean,
  budget_limit: Schema.NullOr(Schema.Number),
  agent_card: Json,
  provision_timeout_ms: Schema.optional(Schema.Number)
})

/** `GET /workspaces/:id` (§5.4): the element without the operational fields, plus `last_outbound_at`. */
export const WorkspaceDetail = Schema.Struct({
  ...common,
  uptime_seconds: Schema.Number,
  runtime: Schema.String,
  x: Schema.Number,
  y: Schema.Number,
  collapsed: Schema.Boolean,
  agent_card: Json,
  provision_timeout_ms: Schema.optional(Schema.Number),
  last_outbound_at: Schema.NullOr(Schema.String),
  /** §2.4: the workspace's own idle threshold (null: the server's default) and the start of its idle stretch. */
  hibernation_idle_minutes: Schema.NullOr(Schema.Number),
  idle_since: Schema.NullOr(Schema.String)
})

/**
 * Opt-in keyset pagination (a Berth addition): with `cursor` present (empty for the first page) the answer is one
 * page of at most `limit` rows (default 100, max 500) and the next page's cursor is the `X-Next-Cursor` response
 * header (absent on the last page). Without `cursor` the answer is the whole list, as upstream's.
 */
export const ListQuery = Schema.Struct({
  cursor: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.String)
})

export const DeleteQuery = Schema.Struct({
  confirm: Schema.optional(Schema.String),
  purge: Schema.optional(Schema.String)
})

export const Deleted = Schema.Struct({
  status: Schema.Literal("removed", "purged"),
  /** Descendants, the root excluded. */
  cascade_deleted: Schema.Number
})

export class WorkspacesGroup extends HttpApiGroup.make("workspaces")
  .add(
    HttpApiEndpoint.post("create", "/workspaces")
      .setPayload(CreatePayload)
      .setHeaders(CreateHeaders)
      .addSuccess(Created)
      // 409: the Idempotency-Key was used for another body, or its first request is still running
      .addError(ConflictBody)
      .middleware(AdminAuth)
  )
  .add(
    HttpApiEndpoint.get("list", "/workspaces")
      .setUrlParams(ListQuery)
      .addSuccess(Schema.Array(WorkspaceElement))
      .middleware(AdminAuth)
  )
  .add(
    HttpApiEndpoint.get("get")`/workspaces/${workspaceIdParam}`
      .setUrlParams(Schema.Struct({ include_removed: Schema.optional(Schema.String) }))
      .addSuccess(WorkspaceDetail)
      .addError(NotFoundBody)
      .addError(GoneBody)
  )
  .add(
    HttpApiEndpoint.del("remove")`/workspaces/${workspaceIdParam}`
      .setUrlParams(DeleteQuery)
      .addSuccess(Deleted)
      .addError(NotFoundBody)
      .addError(ConfirmationRequiredBody)
      .addError(StopFailedBody)
      .middleware(AdminAuth)
  )
  .addError(UnavailableBody)
{}
