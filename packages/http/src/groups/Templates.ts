/** `GET /templates` (§5.9): the template catalogue as the canvas reads it; AdminAuth. */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { UnavailableBody } from "../wire/Errors.js"

const Strings = Schema.Array(Schema.String)

export const RegistryEntry = Schema.Struct({
  name: Schema.String,
  auth_mode: Schema.optional(Schema.String),
  model_prefixes: Schema.optional(Strings),
  model_aliases: Schema.optional(Strings),
  /** Always a string, `""` when absent (never null). */
  base_url: Schema.String,
  auth_env: Schema.optional(Strings)
})

export const TemplateElement = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.String,
  tier: Schema.Number,
  runtime: Schema.String,
  model: Schema.optional(Schema.String),
  models: Schema.optional(Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, required_env: Strings }))),
  required_env: Schema.optional(Strings),
  providers: Schema.optional(Strings),
  provider_registry: Schema.optional(Schema.Array(RegistryEntry)),
  skills: Strings,
  skill_count: Schema.Number,
  provision_timeout_seconds: Schema.optional(Schema.Number)
})

export class TemplatesGroup extends HttpApiGroup.make("templates")
  .add(HttpApiEndpoint.get("list", "/templates").addSuccess(Schema.Array(TemplateElement)))
  .addError(UnavailableBody)
  .middleware(AdminAuth)
{}
