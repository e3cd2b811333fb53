import type { Effect } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable, NoInboundSecret } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** The platform inbound secret of a workspace (§9.3). Datastore faults fail with `DatastoreUnavailable`. */
export interface InboundSecretsShape {
  /** The stored platform inbound secret; no row, NULL or "" → `NoInboundSecret` (§9.3). */
  readonly readInboundSecret: (id: WorkspaceId) => Effect.Effect<string, NoInboundSecret | DatastoreUnavailable>
  /** Generates a new secret (32 random bytes, base64url), stores it and returns it; unknown row → `NoInboundSecret`. */
  readonly issueInboundSecret: (id: WorkspaceId) => Effect.Effect<string, NoInboundSecret | DatastoreUnavailable>
}

export class InboundSecrets extends Context.Tag("@berth/core/InboundSecrets")<InboundSecrets, InboundSecretsShape>() {}
