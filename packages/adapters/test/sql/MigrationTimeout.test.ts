/**
 * Start-up is bounded (issue 17): a migration lock held elsewhere (a stuck replica) fails start-up with
 * `MigrationsTimedOut` naming the lock, instead of waiting forever. Real Postgres; skipped locally without one.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import pg from "pg"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import { Testing } from "../../src/testing/index.js"

const url = await Testing.freshPostgresDatabase()

describe.skipIf(url === undefined)("migration timeout (Postgres)", () => {
  it.live("a migration lock held by another session fails start-up with MigrationsTimedOut", () =>
    Effect.acquireUseRelease(
      Effect.promise(async () => {
        const holder = new pg.Client({ connectionString: url })
        await holder.connect()
        await holder.query("SELECT pg_advisory_lock(hashtextextended('berth:migrations', 0))")
        return holder
      }),
      () =>
        Effect.gen(function* () {
          const persistence = layerFor({ _tag: "Postgres", url: Redacted.make(url ?? "") }, { migrationTimeout: "1 second" })
            .pipe(Layer.provide(SecretCipher.layer(undefined)))
          const exit = yield* Effect.exit(Effect.scoped(Layer.build(persistence)))
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) {
            const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
            expect(error).toMatchObject({ _tag: "MigrationsTimedOut", seconds: 1 })
            expect(String((error as { message?: string } | undefined)?.message)).toContain("migration lock")
          }
        }),
      (holder) => Effect.promise(() => holder.end())
    ), 60_000)
})
