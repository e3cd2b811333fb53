/**
 * `GET /ws` (§5.12), the WebSocket the canvas and agents listen on; a raw route (HttpApi middleware does not cover
 * it), so its rules run here, BEFORE the upgrade: the Origin allowlist (CORS_ORIGINS), and with `X-Workspace-ID` the
 * registry token gate. The canvas (no header) gets every event; an agent only those of workspaces it
 * `CanCommunicate` with. Frames use the §6 envelope.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { Events } from "@berth/core"
import { EventHistory, WorkspaceId } from "@berth/core"
import { Effect, Option, Schema, Stream } from "effect"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { HttpMetrics } from "../edge/HttpMetrics.js"
import { canCommunicate } from "../guards/CanCommunicate.js"
import { registryGate } from "../guards/RegistryGate.js"
import { rfc3339 } from "../wire/Errors.js"

/** The §6 envelope of one event. */
export const envelope = (event: Events.WorkspaceEvent) => ({
  event: event.type,
  workspace_id: event.workspaceId,
  timestamp: rfc3339(event.createdAt),
  payload: event.payload
})

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)
/** What the registry gate and `CanCommunicate` need, captured once for the connection's fibers. */
type GuardServices = Effect.Effect.Context<ReturnType<typeof registryGate>> | Effect.Effect.Context<ReturnType<typeof canCommunicate>>

const refuse = (status: number, error: string) => HttpServerResponse.unsafeJson({ error }, { status })

export const layer = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const metrics = yield* HttpMetrics
    const history = yield* EventHistory
    const services = yield* Effect.context<GuardServices>()
    yield* router.get("/ws", Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const origin = request.headers["origin"]
      if (origin !== undefined && config.corsOrigins.length > 0 && !config.corsOrigins.includes(origin)) {
        return refuse(403, "origin not allowed")
      }
      const claimed = request.headers["x-workspace-id"]
      let caller = Option.none<WorkspaceId.WorkspaceId>()
      if (claimed !== undefined && claimed !== "") {
        const id = decodeId(claimed)
        if (Option.isNone(id)) return refuse(400, "invalid workspace ID")
        const gate = yield* Effect.either(Effect.provide(registryGate(id.value, request.headers), services))
        if (gate._tag === "Left") return refuse(401, gate.left.error)
        caller = id
      }
      const socket = yield* request.upgrade
      const write = yield* socket.writer
      yield* Effect.acquireRelease(metrics.websockets(1), () => metrics.websockets(-1))
      // Per connection, the answer for a workspace does not change often enough to ask the database per event.
      const allowed = new Map<string, boolean>()
      const visible = (event: Events.WorkspaceEvent): Effect.Effect<boolean> => {
        if (Option.isNone(caller)) return Effect.succeed(true)
        const target = event.workspaceId === null ? Option.none() : decodeId(event.workspaceId)
        if (Option.isNone(target)) return Effect.succeed(false)
        const known = allowed.get(target.value)
        if (known !== undefined) return Effect.succeed(known)
        return Effect.provide(canCommunicate(caller.value, target.value), services).pipe(
          Effect.tap((ok) => Effect.sync(() => allowed.set(target.value, ok)))
        )
      }
      const events = yield* history.live()
      yield* events.pipe(
        Stream.filterEffect(visible),
        Stream.runForEach((event) => write(JSON.stringify(envelope(event)))),
        Effect.forkScoped
      )
      // Incoming frames are ignored; this returns when the client goes away.
      yield* socket.runRaw(() => Effect.void).pipe(Effect.catchAll(() => Effect.void))
      return HttpServerResponse.empty()
    }).pipe(Effect.catchTag("RequestError", () => Effect.succeed(refuse(400, "websocket upgrade required")))))
  }))
