/**
 * What create reads (§5.2) and what it answers, in the domain's words. The driver decodes the body into a
 * `CreateRequest` (absent and null alike are `undefined`); a `Created` is one of the three 201 answers, and is also
 * what an `Idempotency-Key` replays, so it is a schema.
 */
import { Schema } from "effect"
import { workspaceAccessModes } from "../ports/WorkspaceRecords.js"
import { WorkspaceId } from "../domain/WorkspaceId.js"

/** Rule 1's message: a missing or empty `name`, and (in the driver) any body that does not decode. */
export const invalidPayloadMessage = "invalid workspace payload"

export interface CreateRequest {
  readonly name: string
  readonly role?: string | undefined
  readonly template?: string | undefined
  readonly tier?: number | undefined
  readonly model?: string | undefined
  readonly runtime?: string | undefined
  readonly external?: boolean | undefined
  readonly url?: string | undefined
  readonly workspaceDir?: string | undefined
  readonly workspaceAccess?: string | undefined
  /** Raw: validated as a workspace id by create (§5.2 rule 7). */
  readonly parentId?: string | undefined
  /** Cents. */
  readonly budgetLimit?: number | undefined
  /** Key → plaintext, stored encrypted with the row. */
  readonly secrets?: Readonly<Record<string, string>> | undefined
  readonly maxConcurrentTasks?: number | undefined
  /** The workspace's own idle threshold (§2.4); absent: the template's, else the server's default. */
  readonly hibernationIdleMinutes?: number | null | undefined
  readonly canvas?: { readonly x?: number | undefined; readonly y?: number | undefined } | undefined
  readonly deliveryMode?: string | undefined
}

/** What the driver knows about the request beyond its body. */
export interface CreateContext {
  /** `Idempotency-Key`, when sent. */
  readonly idempotencyKey: string | undefined
  /** A fingerprint of the body: two requests with one key must carry the same one. */
  readonly fingerprint: string
  /** The public URL an external agent registers at (the connection block, §5.2 rule 11). */
  readonly platformUrl: string
}

/** An external workspace with a URL: online at once. */
export const Online = Schema.TaggedStruct("Online", { id: WorkspaceId })
/** An external workspace without a URL: its agent registers with `token` (`""` when minting failed) at `platformUrl`. */
export const AwaitingAgent = Schema.TaggedStruct("AwaitingAgent", { id: WorkspaceId, platformUrl: Schema.String, token: Schema.String })
/** A container workload: provisioning in the background. */
export const Provisioning = Schema.TaggedStruct("Provisioning", {
  id: WorkspaceId,
  awarenessNamespace: Schema.String,
  workspaceAccess: Schema.Literal(...workspaceAccessModes)
})

export const Created = Schema.Union(Online, AwaitingAgent, Provisioning)
export type Created = typeof Created.Type

/**
 * The 201 bodies stored for a key before answers were stored as `Created` (the wire body itself). A replica of the
 * new version replays them for the rest of their 24 h life instead of failing, so a rolling upgrade keeps retries
 * answering the first result.
 */
const StoredWireBody = Schema.Union(
  Schema.Struct({ id: WorkspaceId, status: Schema.Literal("online") }),
  Schema.Struct({
    id: WorkspaceId,
    status: Schema.Literal("awaiting_agent"),
    connection: Schema.Struct({ platform_url: Schema.String, auth_token: Schema.String })
  }),
  Schema.Struct({
    id: WorkspaceId,
    status: Schema.Literal("provisioning"),
    awareness_namespace: Schema.String,
    workspace_access: Schema.Literal(...workspaceAccessModes)
  })
)

const fromWireBody = Schema.transform(StoredWireBody, Schema.typeSchema(Created), {
  strict: true,
  decode: (body): Created => {
    switch (body.status) {
      case "online":
        return { _tag: "Online", id: body.id }
      case "awaiting_agent":
        return { _tag: "AwaitingAgent", id: body.id, platformUrl: body.connection.platform_url, token: body.connection.auth_token }
      case "provisioning":
        return { _tag: "Provisioning", id: body.id, awarenessNamespace: body.awareness_namespace, workspaceAccess: body.workspace_access }
    }
  },
  encode: (c): typeof StoredWireBody.Type => {
    switch (c._tag) {
      case "Online":
        return { id: c.id, status: "online" }
      case "AwaitingAgent":
        return { id: c.id, status: "awaiting_agent", connection: { platform_url: c.platformUrl, auth_token: c.token } }
      case "Provisioning":
        return { id: c.id, status: "provisioning", awareness_namespace: c.awarenessNamespace, workspace_access: c.workspaceAccess }
    }
  }
})

/** What a replay reads: a stored `Created`, or a wire body stored by an earlier version. */
export const StoredCreated = Schema.Union(Created, fromWireBody)
