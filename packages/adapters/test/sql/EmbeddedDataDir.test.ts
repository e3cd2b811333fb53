/** The embedded database keeps its rows in `BERTH_DATA_DIR` across restarts, and migrations run once. */
import { expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { WorkspaceStore } from "@berth/core"
import { Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { migrations as all } from "../../src/sql/migrations/index.js"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { newWorkspace } from "./RepositorySuite.js"

it.live("rows survive closing and reopening the data directory", () =>
  Effect.gen(function* () {
    const dataDir = join(mkdtempSync(join(tmpdir(), "berth-pglite-")), "data")
    const open = layerFor({ _tag: "Embedded", dataDir }).pipe(Layer.provide(SecretCipher.layer(undefined)))
    const id = yield* Effect.flatMap(WorkspaceStore, (store) => store.create(newWorkspace({ name: "kept" }))).pipe(
      Effect.map((r) => r.workspace.id),
      Effect.provide(open)
    )
    const reopened = yield* Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const migrations = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM effect_sql_migrations`
      const row = yield* Effect.flatMap(WorkspaceStore, (store) => store.get(id))
      return { migrations: migrations[0]?.n, name: Option.map(row, (w) => w.name) }
    }).pipe(Effect.provide(open))
    // each migration applied once, not once per start
    expect(reopened).toEqual({ migrations: Object.keys(all).length, name: Option.some("kept") })
    rmSync(dataDir, { recursive: true, force: true })
  }))
