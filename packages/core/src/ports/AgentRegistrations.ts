import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { DatastoreUnavailable } from "../domain/Errors.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import type { EventRecord, HeartbeatResult, HeartbeatSample, Recorded, Registration } from "./WorkspaceRecords.js"

/** What agents write about themselves (§5.9–5.11): register, the token-gated heartbeat, the agent card. Datastore faults fail with `DatastoreUnavailable`. */
export interface AgentRegistrationsShape {
  /** Register upsert: insert (name = id, status `online`) or set `online` unless `removed` (→ None). */
  readonly register: (r: Registration) => Effect.Effect<Recorded, DatastoreUnavailable>
  /**
   * The token gate and the liveness columns of a non-removed row, returning the previous status/task; None when
   * unknown. Beats submitted while one is being written are written together: one statement per batch, each beat
   * answered after its batch committed. A successful token use stamps `last_used_at` when it is over a minute old.
   */
  readonly heartbeat: (s: HeartbeatSample) => Effect.Effect<Option.Option<HeartbeatResult>, DatastoreUnavailable>
  /** Stores `agent_card` of a non-removed row and records `AGENT_CARD_UPDATED`; None when unknown or removed. */
  readonly updateCard: (id: WorkspaceId, agentCard: unknown, event: EventRecord) => Effect.Effect<Recorded, DatastoreUnavailable>
}

export class AgentRegistrations extends Context.Tag("@berth/core/AgentRegistrations")<AgentRegistrations, AgentRegistrationsShape>() {}
