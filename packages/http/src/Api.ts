/**
 * Berth's HTTP API: every group of the contract's routes (§5), shared by the server, the typed client and the
 * OpenAPI document. Errors every route can answer are declared here: the contract's 400 (made from decode failures by
 * `wire/DecodeErrors.ts`) and the 500 of a Berth fault.
 */
import { HttpApi, OpenApi } from "@effect/platform"
import { A2aGroup } from "./groups/A2a.js"
import { ActivityGroup } from "./groups/Activity.js"
import { AdminWorkspacesGroup, TestTokenGroup } from "./groups/AdminWorkspaces.js"
import { AdminSecretsGroup } from "./groups/AdminSecrets.js"
import { ConsoleGroup } from "./groups/Console.js"
import { DiscoveryGroup } from "./groups/Discovery.js"
import { EventsGroup } from "./groups/Events.js"
import { EventStreamGroup } from "./groups/EventStream.js"
import { HibernationGroup } from "./groups/Hibernation.js"
import { RegistryGroup } from "./groups/Registry.js"
import { SystemGroup } from "./groups/System.js"
import { TemplatesGroup } from "./groups/Templates.js"
import { ModelProviderGroup } from "./groups/ModelProvider.js"
import { RestartGroup } from "./groups/Restart.js"
import { SecretValuesGroup } from "./groups/SecretValues.js"
import { SettingsSecretsGroup } from "./groups/SettingsSecrets.js"
import { TerminalDiagnoseGroup } from "./groups/TerminalDiagnose.js"
import { TokensGroup } from "./groups/Tokens.js"
import { WorkspacesGroup } from "./groups/Workspaces.js"
import { WorkspaceEditGroup } from "./groups/WorkspaceEdit.js"
import { WorkspaceSecretsGroup } from "./groups/WorkspaceSecrets.js"
import { WorkspaceStateGroup } from "./groups/WorkspaceState.js"
import * as Document from "./openapi/Document.js"
import { BadRequestBody, InternalBody } from "./wire/Errors.js"

const routes = HttpApi.make("berth")
  .add(SystemGroup)
  .add(WorkspacesGroup)
  .add(WorkspaceEditGroup)
  .add(RestartGroup)
  .add(HibernationGroup)
  .add(ModelProviderGroup)
  .add(WorkspaceSecretsGroup)
  .add(SecretValuesGroup)
  .add(TerminalDiagnoseGroup)
  .add(WorkspaceStateGroup)
  .add(RegistryGroup)
  .add(DiscoveryGroup)
  .add(A2aGroup)
  .add(ActivityGroup)
  .add(TokensGroup)
  .add(EventsGroup)
  .add(EventStreamGroup)
  .add(AdminWorkspacesGroup)
  .add(TestTokenGroup)
  .add(ConsoleGroup)
  .add(AdminSecretsGroup)
  .add(SettingsSecretsGroup)
  .add(TemplatesGroup)
  .addError(BadRequestBody)
  .addError(InternalBody)
  .annotateContext(OpenApi.annotations({
    title: "Berth",
    description: "Agent-workspace control plane, wire-compatible with Molecule AI's workspace-server"
  }))

export class Api extends routes.annotate(OpenApi.Transform, Document.transform(routes)) {}
