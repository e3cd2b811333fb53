/** Global secrets (§5.8 `/admin/secrets`, kept beside the canonical `/settings/secrets`): list without values, save, delete; AdminAuth. */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { NotFoundBody, UnavailableBody } from "../wire/Errors.js"

export const SecretElement = Schema.Struct({
  key: Schema.String,
  has_value: Schema.Literal(true),
  scope: Schema.Literal("workspace", "global"),
  created_at: Schema.String,
  updated_at: Schema.String
})

export const SaveSecretPayload = Schema.Struct({
  key: Schema.optional(Schema.NullOr(Schema.String)),
  value: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ message: () => ({ message: "invalid request body", override: true }) })

export const GlobalSaved = Schema.Struct({ status: Schema.Literal("saved"), key: Schema.String })
export const GlobalDeleted = Schema.Struct({ status: Schema.Literal("deleted"), key: Schema.String })
export const secretKeyParam = HttpApiSchema.param("key", Schema.String)

export class AdminSecretsGroup extends HttpApiGroup.make("adminSecrets")
  .add(HttpApiEndpoint.get("list", "/admin/secrets").addSuccess(Schema.Array(SecretElement)))
  .add(HttpApiEndpoint.post("save", "/admin/secrets").setPayload(SaveSecretPayload).addSuccess(GlobalSaved))
  .add(HttpApiEndpoint.del("remove")`/admin/secrets/${secretKeyParam}`.addSuccess(GlobalDeleted).addError(NotFoundBody))
  .addError(UnavailableBody)
  .middleware(AdminAuth)
{}
