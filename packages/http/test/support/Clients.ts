/** The typed client (`HttpApiClient` over the `Api`) as the tests' callers: the operator, an agent, nobody. */
import { HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import type { Errors, StoredEvent, Workspace, WorkspaceId } from "@berth/core"
import { EventLog, WorkspaceStore } from "@berth/core"
import { Effect, Option, Redacted } from "effect"
import { Api } from "../../src/Api.js"
import type * as EdgeConfig from "../../src/edge/EdgeConfig.js"

/** The `ADMIN_TOKEN` of the servers these tests start. */
export const admin = "e2e-admin-token"
export const adminSettings: Partial<EdgeConfig.EdgeSettings> = { adminToken: Option.some(Redacted.make(admin)) }

/** A typed client presenting `token` as its bearer (none: anonymous). */
export const clientWith = (token?: string) =>
  HttpApiClient.make(Api, {
    transformClient: token === undefined ? undefined : HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
  })

/** The operator's client (ADMIN_TOKEN). */
export const operator = clientWith(admin)

/** A workspace's row as stored. */
export const stored = (id: WorkspaceId.WorkspaceId): Effect.Effect<Workspace, Errors.DatastoreUnavailable, WorkspaceStore> =>
  Effect.flatMap(WorkspaceStore, (r) => r.get(id)).pipe(Effect.map(Option.getOrThrow))

/** Recorded event types of a workspace, oldest first. */
export const eventTypes = (
  id: WorkspaceId.WorkspaceId
): Effect.Effect<ReadonlyArray<StoredEvent>, Errors.DatastoreUnavailable, EventLog> =>
  Effect.flatMap(EventLog, (log) => log.latest(100, id)).pipe(Effect.map((events) => [...events].reverse()))
