/**
 * Berth additions beyond the contract's schema: `Idempotency-Key` records for `POST /workspaces`, and indexes that
 * make keyset pages of `GET /workspaces` and `GET …/activity` one index range scan each (their order is
 * `created_at, id`, so the indexes carry `id` too and replace the narrower ones).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const ddl = `
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  -- the stored answer, encrypted like a secret (it may carry a token shown once); NULL while the request runs
  answer bytea,
  encryption_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

DROP INDEX workspaces_created_at_idx;
CREATE INDEX workspaces_created_at_id_idx ON workspaces (created_at, id);
DROP INDEX activity_logs_workspace_created_idx;
CREATE INDEX activity_logs_workspace_created_id_idx ON activity_logs (workspace_id, created_at DESC, id DESC);
`

export default Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(ddl))
