/**
 * The registry token gate (§4.4) for drivers that are not registry routes (the `/ws` upgrade with `X-Workspace-ID`):
 * core's `TokenGate` on the request's bearer, its refusal as the contract's 401.
 */
import type { GateAdmission, WorkspaceId } from "@berth/core"
import { TokenGate } from "@berth/core"
import { Effect } from "effect"
import type { Unauthorized } from "../wire/Errors.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { bearer } from "./Credentials.js"
import type { RequestHeaders } from "./Credentials.js"

export const registryGate = (
  id: WorkspaceId.WorkspaceId,
  headers: RequestHeaders
): Effect.Effect<GateAdmission, Unauthorized, TokenGate> =>
  Effect.flatMap(TokenGate, (gate) => gate.admit(id, bearer(headers))).pipe(mapCoreErrors)
