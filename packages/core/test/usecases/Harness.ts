/**
 * The databases core's use-case tests run on: PGlite in memory always, and a fresh Postgres database when service
 * tests are asked for (`BERTH_TEST_SERVICES=1` or `BERTH_TEST_DATABASE_URL`; fatal when missing under
 * `BERTH_REQUIRE_SERVICES=1`). A use-case test builds its core service over one of these layers, with no HTTP:
 *
 *   for (const db of databases) layer(MyService.Default.pipe(Layer.provideMerge(db.persistence)))(db.name, (it) => …)
 */
import { Persistence, SecretCipher } from "@berth/adapters"
import { Testing } from "@berth/adapters/testing"
import { Layer, Redacted } from "effect"

const key = Buffer.alloc(32, 7)

const over = (backend: Parameters<typeof Persistence.layerFor>[0]) =>
  Persistence.layerFor(backend).pipe(Layer.provide(SecretCipher.layer(key)))

export type PersistenceLayer = ReturnType<typeof over>

export interface Database {
  readonly name: string
  readonly persistence: PersistenceLayer
}

const postgresUrl = await Testing.freshPostgresDatabase("berth_usecase")

export const databases: ReadonlyArray<Database> = [
  { name: "PGlite", persistence: over({ _tag: "Embedded", dataDir: "memory://" }) },
  ...(postgresUrl === undefined ? [] : [{ name: "Postgres", persistence: over({ _tag: "Postgres", url: Redacted.make(postgresUrl) }) }])
]
