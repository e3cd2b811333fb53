/** The canvas model pick and provider hint (§5.7): `GET`/`PUT …/model` and `…/provider`, WorkspaceAuth. */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { GoneBody, NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

const invalidBody = { message: () => ({ message: "invalid request body", override: true }) }
const source = Schema.Literal("default", "workspace_secrets")

/** An empty or absent value clears the stored one. */
export const ModelPayload = Schema.Struct({ model: Schema.optional(Schema.NullOr(Schema.String)) }).annotations(invalidBody)
export const ProviderPayload = Schema.Struct({ provider: Schema.optional(Schema.NullOr(Schema.String)) }).annotations(invalidBody)

export const ModelAnswer = Schema.Struct({ model: Schema.String, source })
export const ProviderAnswer = Schema.Struct({ provider: Schema.String, source })

export const ModelSaved = Schema.Union(
  Schema.Struct({ status: Schema.Literal("saved"), model: Schema.String }),
  Schema.Struct({ status: Schema.Literal("cleared") })
)
export const ProviderSaved = Schema.Union(
  Schema.Struct({ status: Schema.Literal("saved"), provider: Schema.String }),
  Schema.Struct({ status: Schema.Literal("cleared") })
)

export class ModelProviderGroup extends HttpApiGroup.make("modelProvider")
  .add(HttpApiEndpoint.get("getModel")`/workspaces/${workspaceIdParam}/model`.addSuccess(ModelAnswer))
  .add(HttpApiEndpoint.put("putModel")`/workspaces/${workspaceIdParam}/model`.setPayload(ModelPayload).addSuccess(ModelSaved))
  .add(HttpApiEndpoint.get("getProvider")`/workspaces/${workspaceIdParam}/provider`.addSuccess(ProviderAnswer))
  .add(
    HttpApiEndpoint.put("putProvider")`/workspaces/${workspaceIdParam}/provider`
      .setPayload(ProviderPayload)
      .addSuccess(ProviderSaved)
  )
  .addError(NotFoundBody)
  .addError(GoneBody)
  .addError(UnavailableBody)
  .middleware(WorkspaceAuth)
{}
