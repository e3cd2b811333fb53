/** How a database chosen at start that cannot be used is told to the operator (issue 17 point 3). */
import { describe, expect, it } from "@effect/vitest"
import { SqlError } from "@effect/sql"
import { Redacted } from "effect"
import { DatabaseUnusable, fromConnectError, parsePostgresUrl } from "../../src/sql/DatabaseUnusable.js"

const target = { host: "db:5432", database: "berth" }
const failedWith = (code: string) => fromConnectError(target, new SqlError.SqlError({ cause: { code }, message: "PgClient: Failed to connect" }))

describe("DatabaseUnusable", () => {
  it("a URL that is not Postgres's is refused before any connect; the URL itself is never repeated", () => {
    for (const url of ["base", "mysql://u:secret@db/x", "postgres://"]) {
      const result = parsePostgresUrl(Redacted.make(url))
      expect(result).toBeInstanceOf(DatabaseUnusable)
      expect(JSON.stringify(result)).not.toContain("secret")
    }
    expect(parsePostgresUrl(Redacted.make("postgresql://u:secret@db:5433/my%20db"))).toEqual({ host: "db:5433", database: "my db" })
  })

  it("connect failures name what to fix", () => {
    expect(failedWith("3D000").problem).toBe('names database "berth", which does not exist on db:5432')
    expect(failedWith("28P01").fix).toBe("fix the user and password in DATABASE_URL")
    expect(failedWith("ENOTFOUND").problem).toBe("names host db:5432, which does not resolve")
    expect(failedWith("ECONNREFUSED").problem).toBe("Postgres at db:5432 is unreachable (ECONNREFUSED)")
    expect(new Set([failedWith("3D000"), failedWith("ECONNREFUSED")].map((e) => e.setting))).toEqual(new Set(["DATABASE_URL"]))
  })
})
