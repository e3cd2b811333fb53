/**
 * `IdempotencyKeys` over `SqlClient`. A claim is one statement: it drops expired keys, inserts the claim (or takes over
 * an expired or abandoned one) and reports the row that held the key before. Answers are encrypted with the secret
 * cipher, since an external workspace's create answer carries its token.
 */
import { SqlClient } from "@effect/sql"
import type { Claim } from "@berth/core"
import { IdempotencyKeys } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore, Int } from "./Rows.js"
import { SecretCipher } from "./SecretCipher.js"

/** A completed key is replayed for 24 hours. */
export const RETENTION_HOURS = 24
/** A claim without an answer after this long was abandoned (its process died): a retry may take it over. */
export const ABANDONED_AFTER_SECONDS = 300

const ClaimRows = Schema.Array(Schema.Struct({
  claimed: Schema.Boolean,
  fingerprint: Schema.NullOr(Schema.String),
  answer: Schema.NullOr(Schema.String),
  encryptionVersion: Schema.NullOr(Int)
}))
const Answer = Schema.parseJson(Schema.Struct({ status: Schema.Number, body: Schema.Unknown }))

export const make: Effect.Effect<IdempotencyKeys["Type"], never, SqlClient.SqlClient | SecretCipher> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const cipher = yield* SecretCipher

  const claim = (scope: string, key: string, fingerprint: string) =>
    Effect.gen(function* () {
      // The CTEs see the table as it was before the statement: `old` is what held the key, `claimed` says whether
      // this statement now holds it.
      const rows = yield* sql`
        WITH expired AS (
          DELETE FROM idempotency_keys
          WHERE created_at < now() - make_interval(hours => ${RETENTION_HOURS}::int) AND NOT (scope = ${scope} AND key = ${key})
        ), claimed AS (
          INSERT INTO idempotency_keys AS k (scope, key, fingerprint) VALUES (${scope}, ${key}, ${fingerprint})
          ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, answer = NULL,
            encryption_version = 0, created_at = now(), completed_at = NULL
          WHERE k.created_at < now() - make_interval(hours => ${RETENTION_HOURS}::int)
            OR (k.completed_at IS NULL AND k.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}::float8))
          RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, old.fingerprint,
          encode(old.answer, 'base64') AS answer, old.encryption_version
        FROM (SELECT 1) AS one
        LEFT JOIN idempotency_keys old ON old.scope = ${scope} AND old.key = ${key}`
      const row = (yield* Schema.decodeUnknown(ClaimRows)(rows))[0]
      if (row === undefined || row.claimed) return { _tag: "Claimed" } as const
      // Not claimed and nothing visible: another request inserted it concurrently and has not answered yet.
      if (row.fingerprint === null) return { _tag: "InProgress" } as const
      if (row.fingerprint !== fingerprint) return { _tag: "Mismatch" } as const
      if (row.answer === null) return { _tag: "InProgress" } as const
      const text = yield* Effect.orDie(cipher.decrypt(Buffer.from(row.answer, "base64"), row.encryptionVersion ?? 0))
      const answer = yield* Effect.orDie(Schema.decodeUnknown(Answer)(text))
      return { _tag: "Replay", answer } satisfies Claim
    }).pipe(datastore)

  return IdempotencyKeys.of({
    claim,
    complete: (scope, key, answer) =>
      Effect.gen(function* () {
        const bytes = yield* Effect.orDie(cipher.encrypt(JSON.stringify(answer)))
        yield* sql`
          UPDATE idempotency_keys SET answer = decode(${Buffer.from(bytes).toString("base64")}, 'base64'),
            encryption_version = ${cipher.version}, completed_at = now()
          WHERE scope = ${scope} AND key = ${key}`
      }).pipe(datastore),
    release: (scope, key) =>
      sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key} AND completed_at IS NULL`.pipe(
        Effect.asVoid,
        datastore
      )
  })
})

/** Requires `SqlClient` and `SecretCipher`. */
export const layer = Layer.effect(IdempotencyKeys, make)
