/** Path parameters shared by groups; their decode failures carry the contract's messages (§0). */
import { HttpApiSchema } from "@effect/platform"
import { WorkspaceId } from "@berth/core"

/** `:id` of `/workspaces/:id/…`: a UUID (lower-cased), else `400 {"error":"invalid workspace ID"}`. */
export const workspaceIdParam = HttpApiSchema.param("id", WorkspaceId.WorkspaceId)
