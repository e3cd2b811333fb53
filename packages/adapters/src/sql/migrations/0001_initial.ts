/**
 * The schema of contract §3. Value lists come from core (statuses, access modes, delivery modes, activity statuses),
 * never typed here. Indexes serve the set-based sweeps of §7 and the list queries of §5.
 */
import { SqlClient } from "@effect/sql"
import { activityStatuses, deliveryModes, Runtime, WorkspaceStatus, workspaceAccessModes } from "@berth/core"
import { Effect } from "effect"
import { literal, literalList } from "./Literals.js"

const ddl = `
CREATE TYPE workspace_status AS ENUM (${literalList(WorkspaceStatus.statuses)});

CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  role text,
  tier integer NOT NULL DEFAULT 3,
  status workspace_status NOT NULL DEFAULT ${literal(WorkspaceStatus.statuses[0])},
  runtime text NOT NULL DEFAULT ${literal(Runtime.DEFAULT_RUNTIME)},
  url text,
  agent_card jsonb,
  parent_id uuid REFERENCES workspaces (id),
  awareness_namespace text,
  workspace_dir text,
  workspace_access text NOT NULL DEFAULT ${literal(workspaceAccessModes[0])}
    CHECK (workspace_access IN (${literalList(workspaceAccessModes)})),
  delivery_mode text NOT NULL DEFAULT ${literal(deliveryModes[0])}
    CHECK (delivery_mode IN (${literalList(deliveryModes)})),
  budget_limit bigint,
  monthly_spend bigint NOT NULL DEFAULT 0,
  max_concurrent_tasks integer NOT NULL DEFAULT 1,
  active_tasks integer NOT NULL DEFAULT 0,
  uptime_seconds integer NOT NULL DEFAULT 0,
  last_error_rate double precision NOT NULL DEFAULT 0,
  last_sample_error text,
  current_task text,
  last_heartbeat_at timestamptz,
  last_outbound_at timestamptz,
  instance_id text,
  platform_inbound_secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workspaces_status_idx ON workspaces (status);
CREATE INDEX workspaces_parent_id_idx ON workspaces (parent_id);
CREATE INDEX workspaces_instance_id_idx ON workspaces (instance_id) WHERE instance_id IS NOT NULL;
CREATE INDEX workspaces_created_at_idx ON workspaces (created_at);
-- health sweep remote pass and liveness: status + runtime filter, heartbeat age range
CREATE INDEX workspaces_sweep_idx ON workspaces (status, runtime, last_heartbeat_at);
-- provision-timeout sweep: provisioning rows by age
CREATE INDEX workspaces_status_updated_idx ON workspaces (status, updated_at);

CREATE TABLE workspace_auth_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX workspace_auth_tokens_live_idx ON workspace_auth_tokens (workspace_id) WHERE revoked_at IS NULL;

CREATE TABLE org_api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  prefix text NOT NULL,
  name text NOT NULL DEFAULT '',
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  org_id text
);

CREATE TABLE workspace_secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  key text NOT NULL,
  encrypted_value bytea NOT NULL,
  encryption_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, key)
);

CREATE TABLE global_secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE,
  encrypted_value bytea NOT NULL,
  encryption_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE activity_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  activity_type text NOT NULL,
  source_id uuid,
  target_id uuid,
  method text,
  summary text,
  request_body jsonb,
  response_body jsonb,
  tool_trace jsonb,
  duration_ms integer,
  status text NOT NULL DEFAULT ${literal(activityStatuses[0])} CHECK (status IN (${literalList(activityStatuses)})),
  error_detail text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_logs_workspace_type_created_idx ON activity_logs (workspace_id, activity_type, created_at DESC);
CREATE INDEX activity_logs_workspace_created_idx ON activity_logs (workspace_id, created_at DESC);
CREATE INDEX activity_logs_created_at_idx ON activity_logs (created_at);

-- Events survive a purge, so workspace_id has no foreign key. seq is the SSE id and the cross-replica cursor.
CREATE TABLE structure_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  event_type text NOT NULL,
  workspace_id uuid,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX structure_events_workspace_seq_idx ON structure_events (workspace_id, seq);
CREATE INDEX structure_events_created_at_idx ON structure_events (created_at);

CREATE TABLE canvas_layouts (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  x double precision NOT NULL DEFAULT 0,
  y double precision NOT NULL DEFAULT 0,
  collapsed boolean NOT NULL DEFAULT false
);

CREATE TABLE workspace_config (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cp_leak_suspects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  instance_id text,
  source text NOT NULL,
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX cp_leak_suspects_open_idx ON cp_leak_suspects (created_at) WHERE resolved_at IS NULL;
CREATE INDEX cp_leak_suspects_workspace_idx ON cp_leak_suspects (workspace_id);
`

export default Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(ddl))
