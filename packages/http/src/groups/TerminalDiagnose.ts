/**
 * `GET /workspaces/:id/terminal/diagnose` (§5.12): WorkspaceAuth, then the KI-005 guard; past them the answer is
 * always 200, the outcome being in `ok`, `first_failure` and `steps`.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { ForbiddenBody, UnauthorizedBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

/** `error` and `detail` are omitted when empty. */
export const DiagnoseStepBody = Schema.Struct({
  name: Schema.String,
  ok: Schema.Boolean,
  duration_ms: Schema.Number,
  error: Schema.optional(Schema.String),
  detail: Schema.optional(Schema.String)
})

/** `instance_id` and `first_failure` are omitted when empty. */
export const Diagnosis = Schema.Struct({
  workspace_id: Schema.String,
  instance_id: Schema.optional(Schema.String),
  remote: Schema.Boolean,
  ok: Schema.Boolean,
  first_failure: Schema.optional(Schema.String),
  steps: Schema.Array(DiagnoseStepBody)
})

export class TerminalDiagnoseGroup extends HttpApiGroup.make("terminalDiagnose")
  .add(
    HttpApiEndpoint.get("diagnose")`/workspaces/${workspaceIdParam}/terminal/diagnose`
      .addSuccess(Diagnosis)
      // KI-005 (§4.5): a bearer not of the claimed caller, or a caller that may not talk to the target
      .addError(UnauthorizedBody)
      .addError(ForbiddenBody)
      .addError(UnavailableBody)
  )
  .middleware(WorkspaceAuth)
{}
