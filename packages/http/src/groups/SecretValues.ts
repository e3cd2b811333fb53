/**
 * `GET /workspaces/:id/secrets/values` (§5.8): the decrypted environment a remote agent pulls at start (the Python
 * SDK's `pull_secrets`). WorkspaceAuth, then the workspace's own token (core's `Secrets.values`).
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { BundleRefusedBody, GoneBody, NotFoundBody, UnauthorizedBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export class SecretValuesGroup extends HttpApiGroup.make("secretValues")
  .add(
    HttpApiEndpoint.get("values")`/workspaces/${workspaceIdParam}/secrets/values`
      .addSuccess(Schema.Record({ key: Schema.String, value: Schema.String }))
      .addError(UnauthorizedBody)
      .addError(NotFoundBody)
      .addError(GoneBody)
      .addError(BundleRefusedBody)
  )
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
