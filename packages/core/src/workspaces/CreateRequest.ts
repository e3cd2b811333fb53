/**
 * What create reads (§5.2) and what it answers, in the domain's words. The driver decodes the body into a
 * `CreateRequest` (absent and null alike are `undefined`); a `Created` is one of the three 201 answers, and is also
 * what an `Idempotency-Key` replays, so it is a schema.
 */
import { Schema } from "effect"
import { workspaceAccessModes } from "../ports/WorkspaceRecords.js"
import { WorkspaceId } from "../WorkspaceId.js"

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
