/** The one line a failed start logs (issue 17 point 3): the setting, the problem, the fix. */
import { DatabaseUnusable, Migrations, SecretCipher } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { Cause, FiberId, Option } from "effect"
import * as StartupProblem from "../src/startup/StartupProblem.js"

const lineOf = (error: unknown) => StartupProblem.lineOf(Cause.fail(error))

describe("StartupProblem", () => {
  it("a setting problem is one line: setting, problem, fix", () => {
    const cause = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" })
    expect(lineOf(StartupProblem.listenFailed(8080, { cause }))).toEqual(Option.some(
      "cannot start: PORT 8080 is already in use; set PORT to a free port, or stop the process holding it"
    ))
    expect(lineOf(DatabaseUnusable.dataDirUnusable("/x", "is not writable: EACCES"))).toEqual(Option.some(
      'cannot start: BERTH_DATA_DIR "/x" is not writable: EACCES; ' +
        "point BERTH_DATA_DIR at a writable directory, or set DATABASE_URL to use Postgres"
    ))
  })

  it("errors that already read as one line keep their text; anything else is not a known start-up problem", () => {
    const refused = new SecretCipher.MissingEncryptionKey({ message: "SECRETS_ENCRYPTION_KEY is unset: refusing to start in production" })
    expect(lineOf(refused)).toEqual(Option.some("cannot start: SECRETS_ENCRYPTION_KEY is unset: refusing to start in production"))
    expect(lineOf(new Migrations.MigrationsTimedOut({ seconds: 300 }))).toEqual(Option.some(
      "cannot start: DATABASE_URL migrations did not finish within 300 s; check for another replica or session " +
        "holding the migration lock (pg_locks, advisory lock berth:migrations) and stop it, then start again"
    ))
    expect(lineOf(new Error("boom"))).toEqual(Option.none())
    expect(StartupProblem.lineOf(Cause.interrupt(FiberId.none))).toEqual(Option.none())
  })
})
