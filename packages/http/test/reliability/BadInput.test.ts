/**
 * Issue 10, the bad-input corpus against a real Berth HTTP server on Postgres: every case (see BadInputCorpus.ts) is
 * answered with a 4xx and a JSON error body, never a 5xx nor a success; `/health` answers afterwards; the database is
 * unchanged by the rejected requests — every table's rows, compared in SQL before and after — and the backend (a
 * loopback CP) received nothing.
 */
import { Testing } from "@berth/adapters/testing"
import { TokenRepository } from "@berth/core"
import type { WorkspaceId } from "@berth/core"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { Cp, cpTestServer } from "../support/LoopbackCp.js"
import { register } from "./Agents.js"
import type { Case } from "./BadInputCorpus.js"
import { corpus } from "./BadInputCorpus.js"
import { postgres } from "./Databases.js"
import { exchange, isErrorBody } from "./Exchange.js"
import { apiRoutes } from "./RouteTable.js"

const url = await Testing.freshPostgresDatabase("berth_rel_badinput")
const adminToken = "reliability-admin-token"

const Tables = Schema.Array(Schema.Struct({ name: Schema.String }))
const Digest = Schema.Array(Schema.Struct({ rows: Schema.Number, digest: Schema.String }))

/** Every table of the database: its row count and a digest of all its rows (order-independent). */
const snapshot = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const tables = yield* Effect.flatMap(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    Schema.decodeUnknown(Tables)
  )
  const digests: Record<string, { readonly rows: number; readonly digest: string }> = {}
  for (const { name } of tables) {
    const [row] = yield* Effect.flatMap(
      sql`SELECT count(*)::int AS rows, md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${sql(name)} t`,
      Schema.decodeUnknown(Digest)
    )
    if (row !== undefined) digests[name] = row
  }
  return digests
})

describe.skipIf(url === undefined)("bad-input corpus generated from the route table (Postgres)", () => {
  // SaaS mode (the CP provisioner against a loopback CP): every route has its backend, so each one reaches its own checks.
  layer(cpTestServer(adminToken, { rateLimit: 0 }, postgres(url ?? "")), { timeout: "120 seconds" })((it) => {
    it.effect("every case is a 4xx with a JSON error, /health answers after, and no table changed", () =>
      Effect.gen(function* () {
        const workspace = yield* register
        const other = yield* register
        const tokens = yield* TokenRepository
        const revoked = yield* tokens.issue(workspace.id as WorkspaceId.WorkspaceId)
        yield* tokens.revoke(workspace.id, revoked.id)
        const cases = corpus(apiRoutes, { workspace, other, revokedToken: revoked.token, adminToken, freshId: randomUUID })
        expect(cases.length).toBeGreaterThanOrEqual(500)

        const before = yield* snapshot
        expect(Object.keys(before)).toEqual(expect.arrayContaining(["workspaces", "workspace_auth_tokens", "structure_events", "activity_logs"]))
        const wrong: Array<string> = []
        for (const c of cases) {
          const answer = yield* exchange(c.request)
          const ok = answer.status >= 400 && answer.status < 500 && isErrorBody(answer)
          if (!ok) wrong.push(`${c.label} → ${answer.status} ${answer.text.slice(0, 160)}`)
        }
        expect(wrong, `${wrong.length} of ${cases.length} cases`).toEqual([])
        expect((yield* exchange({ method: "GET", path: "/health" })).status).toBe(200)
        expect(yield* snapshot).toEqual(before)
        // Nor was the backend asked anything.
        expect(yield* (yield* Cp).requests()).toEqual([])

        const byKind = new Map<Case["kind"], number>()
        for (const c of cases) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1)
        const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(", ")
        console.info(`[reliability] bad input: ${cases.length} cases on ${apiRoutes.length} routes (${kinds}), all 4xx JSON, database unchanged`)
      }))
  })
})
