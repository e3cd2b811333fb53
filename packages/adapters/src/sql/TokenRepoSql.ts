/**
 * `TokenRepository` over `SqlClient`. Tokens are minted and hashed by `TokenHash` (only hashes and prefixes are
 * stored); lookups go by hash, and the hash the database returns is compared with the presented one in constant time.
 * A successful validation stamps `last_used_at` in the same statement, lazily (`TokenUseStamp`).
 */
import { SqlClient } from "@effect/sql"
import type { IssuedToken } from "@berth/core"
import { Errors, Runtime, TokenRepository, WorkspaceStatus } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore, Id, Int, pgArray, Timestamp } from "./Rows.js"
import { mintToken, sameHash, sha256Hex } from "./TokenHash.js"
import { STAMP_AFTER_SECONDS } from "./TokenUseStamp.js"

type S = WorkspaceStatus.WorkspaceStatus
const removed = WorkspaceStatus.terminal
/** Statuses whose tokens the orphan sweeper never revokes (§7.3). */
const sparedByOrphanSweep = pgArray([removed, "provisioning"] satisfies ReadonlyArray<S>)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const HashRows = Schema.Array(Schema.Struct({ hash: Schema.String, workspaceId: Schema.NullOr(Id) }))
const IdRows = Schema.Array(Schema.Struct({ id: Schema.String }))
const WorkspaceIdRows = Schema.Array(Schema.Struct({ id: Id }))
const Flag = Schema.Array(Schema.Struct({ flag: Schema.Boolean }))
const CountRows = Schema.Array(Schema.Struct({ n: Int }))
const TokenRows = Schema.Array(Schema.Struct({
  id: Schema.String,
  prefix: Schema.String,
  createdAt: Timestamp,
  lastUsedAt: Schema.NullOr(Timestamp)
}))

export const make: Effect.Effect<TokenRepository["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  /** The workspace of a live token matching `hash` (optionally bound to one workspace), stamping `last_used_at`. */
  const useToken = (token: string, workspaceId: string | null) => {
    const hash = sha256Hex(token)
    return sql`
      WITH hit AS (
        SELECT t.id, t.token_hash, t.workspace_id, t.last_used_at
        FROM workspace_auth_tokens t JOIN workspaces w ON w.id = t.workspace_id
        WHERE t.token_hash = decode(${hash}, 'hex') AND t.revoked_at IS NULL AND w.status <> ${removed}::workspace_status
          AND (${workspaceId}::uuid IS NULL OR t.workspace_id = ${workspaceId}::uuid)
      ), stamp AS (
        UPDATE workspace_auth_tokens t SET last_used_at = now() FROM hit
        WHERE t.id = hit.id
          AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - make_interval(secs => ${STAMP_AFTER_SECONDS}::float8))
      )
      SELECT encode(token_hash, 'hex') AS hash, workspace_id FROM hit`.pipe(
      Effect.flatMap(Schema.decodeUnknown(HashRows)),
      Effect.map((rows) => rows.find((r) => sameHash(r.hash, hash))?.workspaceId ?? null),
      datastore
    )
  }

  const flag = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(Flag)), (rows) => rows[0]?.flag === true)
  const count = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.map(Effect.flatMap(statement, Schema.decodeUnknown(CountRows)), (rows) => rows[0]?.n ?? 0)

  const issue = (workspaceId: string, maxLive?: number) =>
    sql.withTransaction(Effect.gen(function* () {
      // Lock the workspace row first so that the count below (a new statement, a new snapshot) sees concurrent issues.
      yield* sql`SELECT id FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`
      if (maxLive !== undefined) {
        const live = yield* count(sql`
          SELECT count(*)::int AS n FROM workspace_auth_tokens WHERE workspace_id = ${workspaceId} AND revoked_at IS NULL`)
        if (live >= maxLive) return yield* Effect.fail(new Errors.TokenLimitReached({ limit: maxLive }))
      }
      const minted = mintToken()
      const rows = yield* sql`
        INSERT INTO workspace_auth_tokens (workspace_id, token_hash, prefix)
        VALUES (${workspaceId}, decode(${minted.hash}, 'hex'), ${minted.prefix}) RETURNING id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(IdRows))
      )
      return { id: rows[0]?.id ?? "", token: minted.token, prefix: minted.prefix } satisfies IssuedToken
    })).pipe(datastore)

  return TokenRepository.of({
    issue,
    validate: (workspaceId, token) => Effect.map(useToken(token, workspaceId), (ws) => ws !== null),
    validateAny: (token) => useToken(token, null),
    hasLive: (workspaceId) =>
      flag(sql`
        SELECT EXISTS (
          SELECT 1 FROM workspace_auth_tokens t JOIN workspaces w ON w.id = t.workspace_id
          WHERE t.workspace_id = ${workspaceId} AND t.revoked_at IS NULL AND w.status <> ${removed}::workspace_status
        ) AS flag`).pipe(datastore),
    anyLive: flag(sql`
      SELECT EXISTS (
        SELECT 1 FROM workspace_auth_tokens t JOIN workspaces w ON w.id = t.workspace_id
        WHERE t.revoked_at IS NULL AND w.status <> ${removed}::workspace_status
      ) AS flag`).pipe(datastore),
    list: (workspaceId, limit, offset) =>
      sql`
        SELECT id, prefix, created_at, last_used_at FROM workspace_auth_tokens
        WHERE workspace_id = ${workspaceId} AND revoked_at IS NULL
        ORDER BY created_at DESC, id LIMIT ${limit} OFFSET ${offset}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(TokenRows)),
        datastore
      ),
    revoke: (workspaceId, tokenId) =>
      UUID.test(tokenId)
        ? sql`
            UPDATE workspace_auth_tokens SET revoked_at = now()
            WHERE id = ${tokenId.toLowerCase()}::uuid AND workspace_id = ${workspaceId} AND revoked_at IS NULL
            RETURNING id`.pipe(Effect.map((rows) => rows.length > 0), datastore)
        : Effect.succeed(false),
    revokeAll: (workspaceId) =>
      count(sql`
        WITH r AS (
          UPDATE workspace_auth_tokens SET revoked_at = now()
          WHERE workspace_id = ${workspaceId} AND revoked_at IS NULL RETURNING 1
        ) SELECT count(*)::int AS n FROM r`).pipe(datastore),
    staleTokenWorkspaces: (graceSeconds) =>
      sql`
        SELECT DISTINCT t.workspace_id AS id FROM workspace_auth_tokens t JOIN workspaces w ON w.id = t.workspace_id
        WHERE t.revoked_at IS NULL AND w.status <> ALL(${sparedByOrphanSweep}::workspace_status[])
          AND w.runtime <> ${Runtime.EXTERNAL}
          AND COALESCE(t.last_used_at, t.created_at) < now() - make_interval(secs => ${graceSeconds}::float8)
        ORDER BY id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(WorkspaceIdRows)),
        Effect.map((rows) => rows.map((r) => r.id)),
        datastore
      ),
    // Repeats every condition of the candidate query, so a token minted or used meanwhile survives.
    revokeStale: (workspaceId, graceSeconds) =>
      count(sql`
        WITH r AS (
          UPDATE workspace_auth_tokens t SET revoked_at = now()
          FROM workspaces w
          WHERE t.workspace_id = ${workspaceId} AND w.id = t.workspace_id AND t.revoked_at IS NULL
            AND w.status <> ALL(${sparedByOrphanSweep}::workspace_status[]) AND w.runtime <> ${Runtime.EXTERNAL}
            AND COALESCE(t.last_used_at, t.created_at) < now() - make_interval(secs => ${graceSeconds}::float8)
          RETURNING 1
        ) SELECT count(*)::int AS n FROM r`).pipe(datastore),
    validateOrg: (token) => {
      const hash = sha256Hex(token)
      return sql`
        UPDATE org_api_tokens SET last_used_at = now()
        WHERE token_hash = decode(${hash}, 'hex') AND revoked_at IS NULL
        RETURNING encode(token_hash, 'hex') AS hash, NULL::uuid AS workspace_id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(HashRows)),
        Effect.map((rows) => rows.some((r) => sameHash(r.hash, hash))),
        datastore
      )
    },
    issueOrg: (input) => {
      const minted = mintToken()
      return sql`
        INSERT INTO org_api_tokens (token_hash, prefix, name, created_by, org_id)
        VALUES (decode(${minted.hash}, 'hex'), ${minted.prefix}, ${input.name}, ${input.createdBy}, ${input.orgId})
        RETURNING id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(IdRows)),
        Effect.map((rows): IssuedToken => ({ id: rows[0]?.id ?? "", token: minted.token, prefix: minted.prefix })),
        datastore
      )
    }
  })
})

export const layer = Layer.effect(TokenRepository, make)
