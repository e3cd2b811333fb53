/**
 * Berth's HTTP API: every group of the contract's routes (§5), shared by the server, the typed client and the
 * OpenAPI document. Errors every route can answer are declared here: the contract's 400 (made from decode failures by
 * `wire/DecodeErrors.ts`) and the 500 of a Berth fault.
 */
import { HttpApi, OpenApi } from "@effect/platform"
import { RegistryGroup } from "./groups/Registry.js"
import { SystemGroup } from "./groups/System.js"
import { WorkspaceStateGroup } from "./groups/WorkspaceState.js"
import { BadRequestBody, InternalBody } from "./wire/Errors.js"

export class Api extends HttpApi.make("berth")
  .add(SystemGroup)
  .add(WorkspaceStateGroup)
  .add(RegistryGroup)
  .addError(BadRequestBody)
  .addError(InternalBody)
  .annotateContext(OpenApi.annotations({
    title: "Berth",
    description: "Agent-workspace control plane, wire-compatible with Molecule AI's workspace-server"
  }))
{}
