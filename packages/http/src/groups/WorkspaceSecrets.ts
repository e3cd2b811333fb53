/** Workspace secrets (§5.8): list without values (workspace keys, then inherited globals), save, delete; WorkspaceAuth. */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { GoneBody, NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"
import { SaveSecretPayload, SecretElement } from "./AdminSecrets.js"

const Saved = Schema.Struct({ status: Schema.Literal("saved"), key: Schema.String })

export class WorkspaceSecretsGroup extends HttpApiGroup.make("workspaceSecrets")
  .add(HttpApiEndpoint.get("list")`/workspaces/${workspaceIdParam}/secrets`.addSuccess(Schema.Array(SecretElement)))
  .add(HttpApiEndpoint.post("create")`/workspaces/${workspaceIdParam}/secrets`.setPayload(SaveSecretPayload).addSuccess(Saved))
  .add(HttpApiEndpoint.put("update")`/workspaces/${workspaceIdParam}/secrets`.setPayload(SaveSecretPayload).addSuccess(Saved))
  .add(
    HttpApiEndpoint.del("remove")`/workspaces/${workspaceIdParam}/secrets/${HttpApiSchema.param("key", Schema.String)}`
      .addSuccess(Schema.Struct({ status: Schema.Literal("deleted"), key: Schema.String }))
  )
  .addError(NotFoundBody)
  .addError(GoneBody)
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
