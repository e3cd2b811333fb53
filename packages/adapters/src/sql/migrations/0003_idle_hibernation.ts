/**
 * The idle policy of §2.4: `idle_since` (set by the first heartbeat reporting no active task, cleared by one reporting
 * work) and the workspace's own `hibernation_idle_minutes` (NULL: the server's default). The partial index holds
 * only idle rows, so the idle sweep's claim reads few index entries however many workspaces there are.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const ddl = `
ALTER TABLE workspaces
  ADD COLUMN idle_since timestamptz,
  ADD COLUMN hibernation_idle_minutes integer CHECK (hibernation_idle_minutes IS NULL OR hibernation_idle_minutes > 0);
CREATE INDEX workspaces_idle_since_idx ON workspaces (idle_since) WHERE idle_since IS NOT NULL;
`

export default Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(ddl))
