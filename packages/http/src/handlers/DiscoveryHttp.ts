/** Handlers of the discovery group (§5.11.1): decode, one `Discovery` call, the shared error table. */
import { HttpApiBuilder } from "@effect/platform"
import type { Workspace } from "@berth/core"
import { Discovery, WorkspaceId } from "@berth/core"
import { Effect, Option, Schema } from "effect"
import { Api } from "../Api.js"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { bearer } from "../guards/Credentials.js"
import type { RequestHeaders } from "../guards/Credentials.js"
import { mapCoreErrors } from "../wire/CoreErrors.js"
import { BadRequest, invalidRequestBody, invalidWorkspaceId } from "../wire/Errors.js"

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

/** One peer on the wire (upstream's shape: empty role and absent card are null). */
export const peerToWire = (w: Workspace) => ({
  id: w.id,
  name: w.name,
  role: w.role === null || w.role === "" ? null : w.role,
  tier: w.tier,
  status: w.status,
  agent_card: w.agentCard ?? null,
  url: w.url ?? "",
  parent_id: w.parentId,
  active_tasks: w.activeTasks
})

const callerHeader = (raw: string | undefined) =>
  raw === undefined || raw === "" ? Effect.fail(new BadRequest({ error: "X-Workspace-ID header is required" })) : Effect.succeed(raw)

/** Both ids present, each a workspace id. */
const accessPair = (payload: { readonly caller_id?: string | undefined; readonly target_id?: string | undefined }) => {
  if (payload.caller_id === undefined || payload.caller_id === "" || payload.target_id === undefined || payload.target_id === "") {
    return Effect.fail(invalidRequestBody)
  }
  const caller = decodeId(payload.caller_id)
  const target = decodeId(payload.target_id)
  return Option.isSome(caller) && Option.isSome(target)
    ? Effect.succeed([caller.value, target.value] as const)
    : Effect.fail(invalidWorkspaceId)
}

export const DiscoveryLive = HttpApiBuilder.group(Api, "discovery", (handlers) =>
  Effect.gen(function* () {
    const discovery = yield* Discovery
    const config = yield* EdgeConfig
    const devFailOpen = Option.isNone(config.adminToken) && config.devEnv
    const credential = (headers: RequestHeaders) => ({ bearer: bearer(headers), devFailOpen })
    return handlers
      .handle("discover", ({ path, headers, request }) =>
        Effect.flatMap(callerHeader(headers["x-workspace-id"]), (caller) =>
          discovery.discover(caller, path.id, credential(request.headers)).pipe(mapCoreErrors)))
      .handle("peers", ({ path, urlParams, request }) =>
        discovery.peers(path.id, urlParams.q ?? "", credential(request.headers)).pipe(
          Effect.map((rows) => rows.map(peerToWire)),
          mapCoreErrors
        ))
      .handle("checkAccess", ({ payload }) =>
        Effect.flatMap(accessPair(payload), ([caller, target]) =>
          Effect.map(discovery.checkAccess(caller, target), (allowed) => ({ allowed }))))
  }))
