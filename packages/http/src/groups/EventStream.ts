/**
 * `GET /workspaces/:id/events/stream` (§5.12): Server-Sent Events of one workspace, WorkspaceAuth. The body is a
 * stream, so the success is declared as text with the SSE content type.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { WorkspaceAuth } from "../guards/WorkspaceAuth.js"
import { NotFoundBody, UnavailableBody } from "../wire/Errors.js"
import { workspaceIdParam } from "../wire/Params.js"

export class EventStreamGroup extends HttpApiGroup.make("eventStream")
  .add(
    HttpApiEndpoint.get("stream")`/workspaces/${workspaceIdParam}/events/stream`
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .addError(NotFoundBody)
      .addError(UnavailableBody)
  )
  .middleware(WorkspaceAuth)
{}
