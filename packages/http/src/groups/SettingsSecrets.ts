/**
 * `/settings/secrets` (§5.8): upstream's canonical path of the global secrets; `/admin/secrets` stays beside it. Same
 * guard (AdminAuth), same bodies, same handlers (`handlers/AdminSecretsHttp.ts`); `PUT` and `POST` both save.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { AdminAuth } from "../guards/AdminAuth.js"
import { NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { GlobalDeleted, GlobalSaved, SaveSecretPayload, SecretElement, secretKeyParam } from "./AdminSecrets.js"

export class SettingsSecretsGroup extends HttpApiGroup.make("settingsSecrets")
  .add(HttpApiEndpoint.get("list", "/settings/secrets").addSuccess(Schema.Array(SecretElement)))
  .add(HttpApiEndpoint.put("save", "/settings/secrets").setPayload(SaveSecretPayload).addSuccess(GlobalSaved))
  .add(HttpApiEndpoint.post("create", "/settings/secrets").setPayload(SaveSecretPayload).addSuccess(GlobalSaved))
  .add(HttpApiEndpoint.del("remove")`/settings/secrets/${secretKeyParam}`.addSuccess(GlobalDeleted).addError(NotFoundBody))
  .addError(UnavailableBody)
  .middleware(AdminAuth)
{}
