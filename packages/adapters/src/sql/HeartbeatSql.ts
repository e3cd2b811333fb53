/**
 * The heartbeat hot path (§5.11, §4.4) as a group commit: beats submitted while one batch is being written wait and
 * are written together in the next, ONE statement per batch (`Batcher`). That statement judges each beat's bearer
 * (the registry token gate), reads the previous status and task of its row (locked, in id order, so concurrent
 * batches never deadlock each other), writes the liveness columns where the row is not `removed` and the gate allows,
 * and stamps `last_used_at` of the tokens used when the stamp is over a minute old. Each beat gets its own answer.
 * Its cost does not grow with the table (every lookup is an index probe), and it commits asynchronously
 * (`AsyncCommit`): a liveness sample lost in a database crash is rewritten by the agent's next beat.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import type { HeartbeatResult, HeartbeatSample } from "@berth/core"
import { Batcher, Errors, WorkspaceStatus } from "@berth/core"
import type { Scope } from "effect"
import { Effect, Option, Predicate, Schema } from "effect"
import { asyncCommitCte } from "./AsyncCommit.js"
import { datastore, Int, pgArray, Status, Timestamp } from "./Rows.js"
import { sameHash, sha256Hex } from "./TokenHash.js"
import { STAMP_AFTER_SECONDS } from "./TokenUseStamp.js"

const removed = WorkspaceStatus.terminal

/** Most beats one statement carries. */
const MAX_BATCH = 256

const BeatRows = Schema.Array(Schema.Struct({
  ord: Int,
  /** Null: no such workspace. */
  status: Schema.NullOr(Status),
  previousTask: Schema.NullOr(Schema.String),
  name: Schema.NullOr(Schema.String),
  runtime: Schema.NullOr(Schema.String),
  updatedAt: Schema.NullOr(Timestamp),
  platformInboundSecret: Schema.NullOr(Schema.String),
  matchedHash: Schema.NullOr(Schema.String),
  hasLive: Schema.Boolean,
  recorded: Schema.Boolean
}))

/** Splits items into rounds in which each id appears once (a row is written once per statement); order is kept. */
const rounds = <T extends { readonly id: string }>(items: ReadonlyArray<T>): ReadonlyArray<ReadonlyArray<number>> => {
  const result: Array<Array<number>> = []
  const seen = new Map<string, number>()
  items.forEach((item, index) => {
    const round = seen.get(item.id) ?? 0
    seen.set(item.id, round + 1)
    ;(result[round] ??= []).push(index)
  })
  return result
}

const isDeadlock = (e: SqlError.SqlError) =>
  Predicate.hasProperty(e.cause, "code") && e.cause.code === "40P01"

/** `heartbeat` of `AgentRegistrations`, batched; its worker lives in the current scope. */
export const make = (sql: SqlClient.SqlClient): Effect.Effect<
  (s: HeartbeatSample) => Effect.Effect<Option.Option<HeartbeatResult>, Errors.DatastoreUnavailable>,
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    /** One statement for beats of distinct workspaces; one row per beat, in the beats' order. */
    const statement = (beats: ReadonlyArray<{ readonly sample: HeartbeatSample; readonly hash: string | null }>) => {
      // Every row lookup goes through `= ANY(ids)`, which the planner sizes from the bound array: index probes, never
      // a scan of the table (a join against the JSON rows alone is estimated at 100 rows and hashed over a full scan).
      const ids = pgArray(beats.map((b) => b.sample.id))
      return sql`
        WITH ${asyncCommitCte(sql)}, beat AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(beats.map(({ sample: s, hash }, ord) => ({
            ord, id: s.id, token_hash: hash, error_rate: s.errorRate, sample_error: s.sampleError,
            active_tasks: Math.trunc(s.activeTasks), uptime_seconds: Math.trunc(s.uptimeSeconds),
            current_task: s.currentTask, monthly_spend: Math.trunc(s.monthlySpend), observed_at: s.observedAt?.toISOString() ?? null
          })))}::jsonb) AS b(ord int, id uuid, token_hash text, error_rate float8, sample_error text, active_tasks int,
            uptime_seconds int, current_task text, monthly_spend bigint, observed_at timestamptz)
        ), old AS (
          SELECT w.id, w.status, w.current_task, w.name, w.runtime, w.updated_at, w.platform_inbound_secret
          FROM workspaces w WHERE w.id = ANY(${ids}::uuid[]) ORDER BY w.id FOR UPDATE
        ), gate AS (
          -- per beat, one probe of the live-token index: does the workspace hold any, is the bearer one of them
          SELECT beat.ord, beat.id, live.n > 0 AS has_live, live.matched AS matched_hash
          FROM beat CROSS JOIN LATERAL (
            SELECT count(*) AS n,
              max(encode(t.token_hash, 'hex')) FILTER (WHERE t.token_hash = decode(beat.token_hash, 'hex')) AS matched
            FROM workspace_auth_tokens t WHERE t.workspace_id = beat.id AND t.revoked_at IS NULL
          ) live
        ), upd AS (
          UPDATE workspaces w SET last_heartbeat_at = now(), last_error_rate = beat.error_rate,
            last_sample_error = beat.sample_error, active_tasks = beat.active_tasks, uptime_seconds = beat.uptime_seconds,
            current_task = beat.current_task, updated_at = now(),
            -- §2.4: idle since the first beat without work, until a beat reports work again
            idle_since = CASE WHEN beat.active_tasks > 0 THEN NULL ELSE COALESCE(w.idle_since, beat.observed_at, now()) END,
            monthly_spend = CASE WHEN beat.monthly_spend > 0 THEN beat.monthly_spend ELSE w.monthly_spend END
          FROM beat JOIN gate ON gate.ord = beat.ord JOIN old ON old.id = beat.id
          WHERE w.id = ANY(${ids}::uuid[]) AND w.id = beat.id AND old.status <> ${removed}::workspace_status
            AND (gate.matched_hash IS NOT NULL OR NOT gate.has_live)
          RETURNING w.id
        ), stamp AS (
          -- best effort (§3.2): a token row someone else holds is left for a later beat, never waited for
          UPDATE workspace_auth_tokens t SET last_used_at = now()
          WHERE t.id IN (
            SELECT u.id FROM workspace_auth_tokens u
            WHERE u.workspace_id = ANY(${ids}::uuid[]) AND u.revoked_at IS NULL
              AND u.token_hash IN (SELECT decode(gate.matched_hash, 'hex') FROM gate WHERE gate.matched_hash IS NOT NULL)
              AND (u.last_used_at IS NULL OR u.last_used_at < now() - make_interval(secs => ${STAMP_AFTER_SECONDS}::float8))
            FOR UPDATE OF u SKIP LOCKED)
        )
        SELECT beat.ord, old.status, old.current_task AS previous_task, old.name, old.runtime, old.updated_at,
          old.platform_inbound_secret, gate.matched_hash, gate.has_live, upd.id IS NOT NULL AS recorded
        FROM beat JOIN gate ON gate.ord = beat.ord LEFT JOIN old ON old.id = beat.id LEFT JOIN upd ON upd.id = beat.id
          CROSS JOIN async_commit
        ORDER BY beat.ord`.pipe(
        // Another multi-row writer (a sweep, a cascade delete) locking in a different order can deadlock with a
        // batch; Postgres aborts one side, and the batch is simply written again.
        Effect.retry({ times: 2, while: isDeadlock }),
        Effect.flatMap(Schema.decodeUnknown(BeatRows)),
        Effect.filterOrDieMessage((rows) => rows.length === beats.length, "heartbeat batch: not one row per beat"),
        Effect.map((rows) =>
          rows.map((row): Option.Option<HeartbeatResult> => {
            const hash = beats[row.ord]?.hash ?? null
            if (row.status === null || row.name === null || row.runtime === null || row.updatedAt === null) return Option.none()
            const matched = hash !== null && row.matchedHash !== null && sameHash(row.matchedHash, hash)
            return Option.some({
              status: row.status,
              previousTask: row.previousTask,
              name: row.name,
              runtime: row.runtime,
              updatedAt: row.updatedAt,
              platformInboundSecret: row.platformInboundSecret,
              gate: matched ? "authenticated" : row.hasLive ? "rejected" : "bootstrap",
              recorded: row.recorded
            })
          }))
      )
    }

    const run = (samples: ReadonlyArray<HeartbeatSample>) =>
      Effect.gen(function* () {
        const beats = samples.map((sample) => ({ sample, hash: sample.bearer === undefined ? null : sha256Hex(sample.bearer) }))
        const results = new Array<Option.Option<HeartbeatResult>>(samples.length)
        for (const round of rounds(samples)) {
          const answered = yield* statement(round.map((i) => beats[i]!))
          round.forEach((i, k) => { results[i] = answered[k]! })
        }
        return results
      }).pipe(datastore)

    const batcher = yield* Batcher.make({ run, maxBatch: MAX_BATCH })
    return batcher.submit
  })
