/**
 * The longest value Berth stores for each written field (issue 15), checked at the edge before any handler: a longer
 * value is a 400 naming the field, never a 500 from the database. Lengths are in UTF-16 code units (JS `length`);
 * JSON fields count their JSON text. Secret keys stop at 100 so that every stored key fits the router's path segment
 * (100 characters) and can be deleted through the API; at ≤ 4 bytes a character they also stay far under Postgres's
 * btree entry limit (~2,700 bytes) of the secrets' unique index. README "Limits" lists this table.
 * Create's name, role, model and runtime keep their own §5.2 rules (255 bytes, 1000, 100, 100 characters).
 */

export type Limit =
  | { readonly kind: "text"; readonly max: number }
  | { readonly kind: "json"; readonly max: number }
  /** A string → string map: each key and each value. */
  | { readonly kind: "map"; readonly key: number; readonly value: number }

export const secretKeyMax = 100
export const secretValueMax = 64 * 1024
const jsonMax = 256 * 1024

const text = (max: number): Limit => ({ kind: "text", max })
const json = (max: number): Limit => ({ kind: "json", max })

const secret = { key: text(secretKeyMax), value: text(secretValueMax) }

/** `"<METHOD> <route template>"` → field → its maximum. */
export const limits: Readonly<Record<string, Readonly<Record<string, Limit>>>> = {
  "POST /admin/secrets": secret,
  "PUT /settings/secrets": secret,
  "POST /settings/secrets": secret,
  "POST /workspaces/:id/secrets": secret,
  "PUT /workspaces/:id/secrets": secret,
  "POST /workspaces": {
    template: text(255),
    workspace_dir: text(4096),
    secrets: { kind: "map", key: secretKeyMax, value: secretValueMax },
    canvas: json(4096)
  },
  "PATCH /workspaces/:id": { workspace_dir: text(4096) },
  "POST /workspaces/:id/activity": {
    method: text(256),
    summary: text(4096),
    target_id: text(64),
    source_id: text(64),
    status: text(64),
    error_detail: text(16 * 1024),
    request_body: json(jsonMax),
    response_body: json(jsonMax),
    metadata: json(jsonMax),
    tool_trace: json(jsonMax)
  },
  "POST /registry/register": { url: text(2048), agent_card: json(64 * 1024) },
  "POST /registry/update-card": { agent_card: json(64 * 1024) },
  "POST /registry/heartbeat": { sample_error: text(4096), current_task: text(4096), runtime_state: text(256) }
}

const tooLong = (field: string, max: number) => ({ error: `${field} too long`, detail: `${field} is longer than ${max} characters` })

/** The first field of `body` over its maximum on `route`, as the 400's body. */
export const overLimit = (route: string, body: unknown): { readonly error: string; readonly detail: string } | undefined => {
  const table = limits[route]
  if (table === undefined || typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  const fields: Readonly<Record<string, unknown>> = body as Readonly<Record<string, unknown>>
  for (const [field, limit] of Object.entries(table)) {
    const value = fields[field]
    if (value === undefined || value === null) continue
    if (limit.kind === "text" && typeof value === "string" && value.length > limit.max) return tooLong(field, limit.max)
    if (limit.kind === "json" && JSON.stringify(value).length > limit.max) return tooLong(field, limit.max)
    if (limit.kind === "map" && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key.length > limit.key) return tooLong(`${field} key`, limit.key)
        if (typeof inner === "string" && inner.length > limit.value) return tooLong(`${field}.${key.slice(0, 40)}`, limit.value)
      }
    }
  }
  return undefined
}
