/**
 * `SecretRepository` over `SqlClient`. Values are encrypted by `SecretCipher` before they reach SQL and travel as
 * base64 text (`decode`/`encode` in SQL), which both drivers bind and return identically.
 */
import { SqlClient } from "@effect/sql"
import type { SecretScope } from "@berth/core"
import { Errors, Runtime, SecretRepository, WorkspaceStatus } from "@berth/core"
import { Effect, Layer, Option, Schema } from "effect"
import { datastore, Id, Int, pgArray, Timestamp } from "./Rows.js"
import { SecretCipher } from "./SecretCipher.js"

type S = WorkspaceStatus.WorkspaceStatus
/** A global-secret change never restarts these (§5.8). */
const notRestarted = pgArray([WorkspaceStatus.terminal, "paused"] satisfies ReadonlyArray<S>)

const ValueRows = Schema.Array(Schema.Struct({
  key: Schema.String,
  value: Schema.String,
  encryptionVersion: Int
}))
const InfoRows = Schema.Array(Schema.Struct({
  key: Schema.String,
  scope: Schema.Literal("workspace", "global"),
  createdAt: Timestamp,
  updatedAt: Timestamp
}))
const IdRows = Schema.Array(Schema.Struct({ id: Id }))

export const make: Effect.Effect<SecretRepository["Type"], never, SqlClient.SqlClient | SecretCipher> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* SecretCipher

  const encrypt = (key: string, value: string) =>
    Effect.map(
      Effect.mapError(cipher.encrypt(value), () => new Errors.SecretWriteFailed({ key, operation: "encrypt" })),
      (bytes) => Buffer.from(bytes).toString("base64")
    )
  const decrypt = (scope: SecretScope, row: typeof ValueRows.Type[number]) =>
    Effect.mapError(
      cipher.decrypt(Buffer.from(row.value, "base64"), row.encryptionVersion),
      () => new Errors.SecretDecryptFailed({ scope, key: row.key })
    )
  const saveFailed = (key: string) => () => new Errors.SecretWriteFailed({ key, operation: "save" })
  const values = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.flatMap(statement, Schema.decodeUnknown(ValueRows))
  const infos = <E, R>(statement: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
    Effect.flatMap(statement, Schema.decodeUnknown(InfoRows))

  return SecretRepository.of({
    encryptionEnabled: cipher.version === 1,
    putWorkspace: (id, key, value) =>
      Effect.flatMap(encrypt(key, value), (stored) =>
        sql`
          INSERT INTO workspace_secrets (workspace_id, key, encrypted_value, encryption_version)
          VALUES (${id}, ${key}, decode(${stored}, 'base64'), ${cipher.version})
          ON CONFLICT (workspace_id, key) DO UPDATE SET encrypted_value = EXCLUDED.encrypted_value,
            encryption_version = EXCLUDED.encryption_version, updated_at = now()`.pipe(
          Effect.asVoid,
          Effect.mapError(saveFailed(key))
        )),
    deleteWorkspace: (id, key) =>
      sql`DELETE FROM workspace_secrets WHERE workspace_id = ${id} AND key = ${key} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        datastore
      ),
    getWorkspace: (id, key) =>
      values(sql`
        SELECT key, encode(encrypted_value, 'base64') AS value, encryption_version FROM workspace_secrets
        WHERE workspace_id = ${id} AND key = ${key}`).pipe(
        datastore,
        Effect.flatMap((rows) =>
          rows[0] === undefined ? Effect.succeed(Option.none()) : Effect.asSome(decrypt("workspace", rows[0])))
      ),
    listForWorkspace: (id) =>
      infos(sql`
        SELECT key, scope, created_at, updated_at FROM (
          SELECT key, 'workspace' AS scope, 0 AS rank, created_at, updated_at FROM workspace_secrets
          WHERE workspace_id = ${id}
          UNION ALL
          SELECT g.key, 'global', 1, g.created_at, g.updated_at FROM global_secrets g
          WHERE NOT EXISTS (SELECT 1 FROM workspace_secrets s WHERE s.workspace_id = ${id} AND s.key = g.key)
        ) AS secrets ORDER BY rank, key`).pipe(datastore),
    putGlobal: (key, value) =>
      Effect.flatMap(encrypt(key, value), (stored) =>
        sql`
          INSERT INTO global_secrets (key, encrypted_value, encryption_version)
          VALUES (${key}, decode(${stored}, 'base64'), ${cipher.version})
          ON CONFLICT (key) DO UPDATE SET encrypted_value = EXCLUDED.encrypted_value,
            encryption_version = EXCLUDED.encryption_version, updated_at = now()`.pipe(
          Effect.asVoid,
          Effect.mapError(saveFailed(key))
        )),
    deleteGlobal: (key) =>
      sql`DELETE FROM global_secrets WHERE key = ${key} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        datastore
      ),
    listGlobal: infos(sql`
      SELECT key, 'global' AS scope, created_at, updated_at FROM global_secrets ORDER BY key`).pipe(datastore),
    // Globals first, then workspace values override the same keys (§3.3).
    loadForProvision: (id) =>
      Effect.gen(function* () {
        const globals = yield* values(sql`
          SELECT key, encode(encrypted_value, 'base64') AS value, encryption_version FROM global_secrets ORDER BY key`)
        const own = yield* values(sql`
          SELECT key, encode(encrypted_value, 'base64') AS value, encryption_version FROM workspace_secrets
          WHERE workspace_id = ${id} ORDER BY key`)
        const env: Record<string, string> = {}
        for (const row of globals) env[row.key] = yield* decrypt("global", row)
        for (const row of own) env[row.key] = yield* decrypt("workspace", row)
        return env
      }).pipe(datastore),
    workspacesUsingGlobal: (key) =>
      sql`
        SELECT w.id FROM workspaces w
        WHERE w.status <> ALL(${notRestarted}::workspace_status[]) AND w.runtime <> ${Runtime.EXTERNAL}
          AND NOT EXISTS (SELECT 1 FROM workspace_secrets s WHERE s.workspace_id = w.id AND s.key = ${key})
        ORDER BY w.created_at, w.id`.pipe(
        Effect.flatMap(Schema.decodeUnknown(IdRows)),
        Effect.map((rows) => rows.map((r) => r.id)),
        datastore
      )
  })
})

/** Requires `SqlClient` and `SecretCipher`. */
export const layer = Layer.effect(SecretRepository, make)
