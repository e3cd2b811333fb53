/**
 * `AgentRegistrations` over `SqlClient`: what agents write about themselves. Register and the card update record
 * their event in the same statement as the write (none when the row is `removed`); the heartbeat is `HeartbeatSql`'s
 * group commit.
 */
import { SqlClient } from "@effect/sql"
import { AgentRegistrations, Transitions, WorkspaceStatus } from "@berth/core"
import type { Scope } from "effect"
import { Effect, Layer } from "effect"
import * as HeartbeatSql from "./HeartbeatSql.js"
import { datastore, jsonParam, pgArray } from "./Rows.js"
import { recorded, recordForChanged } from "./WorkspaceRows.js"

const removed = WorkspaceStatus.terminal

export const make: Effect.Effect<AgentRegistrations["Type"], never, SqlClient.SqlClient | Scope.Scope> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const heartbeat = yield* HeartbeatSql.make(sql)
  return AgentRegistrations.of({
    register: (r) =>
      recorded(recordForChanged(sql, sql`
        INSERT INTO workspaces AS w (id, name, status, url, agent_card, delivery_mode, last_heartbeat_at, awareness_namespace)
        VALUES (${r.id}, ${r.id}, ${Transitions.registered.to}::workspace_status,
          NULLIF(${r.url ?? ""}, ''), ${jsonParam(r.agentCard)}::jsonb, ${r.deliveryMode}, now(), ${`workspace:${r.id}`})
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, agent_card = EXCLUDED.agent_card,
          delivery_mode = EXCLUDED.delivery_mode, last_heartbeat_at = now(), updated_at = now(),
          url = COALESCE(EXCLUDED.url, w.url)
        WHERE w.status <> ${removed}::workspace_status
          AND w.status = ANY(${pgArray(Transitions.registered.from)}::workspace_status[])
        RETURNING w.id`, r.event)).pipe(datastore),
    heartbeat,
    updateCard: (id, agentCard, event) =>
      recorded(recordForChanged(sql, sql`
        UPDATE workspaces SET agent_card = ${jsonParam(agentCard)}::jsonb
        WHERE id = ${id} AND status <> ${removed}::workspace_status RETURNING id`, event)).pipe(datastore)
  })
})

/** Scoped: the heartbeat batcher's worker lives as long as the layer. */
export const layer = Layer.scoped(AgentRegistrations, make)
