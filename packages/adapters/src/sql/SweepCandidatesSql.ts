/**
 * `SweepCandidates` over `SqlClient`: the rows the background sweeps of §7 look at, each one indexed statement. The
 * writes the sweeps then make go through `StatusWrites`.
 */
import { SqlClient } from "@effect/sql"
import type { WorkspaceId } from "@berth/core"
import { Runtime, SweepCandidates, WorkspaceStatus } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore, Id, pgArray } from "./Rows.js"
import { live, refColumns, refRows } from "./WorkspaceRows.js"

type S = WorkspaceStatus.WorkspaceStatus
const removed = WorkspaceStatus.terminal
const provisioning: S = "provisioning"

const ProvisioningRows = Schema.Array(Schema.Struct({
  id: Id,
  name: Schema.String,
  runtime: Schema.String,
  ageSeconds: Schema.Number
}))

/** The 12 leading characters of a UUID's text form, as legacy container names carry them (`ws-<8 hex>-<3 hex>`). */
const legacyPrefix = /^[0-9a-f]{8}-[0-9a-f]{3}$/

/**
 * The ids starting with `prefix` as an inclusive uuid range, so the lookup walks the primary key (uuids order as
 * their hex text does); undefined for a prefix no id can start with.
 */
const prefixRange = (prefix: string): { readonly lo: string; readonly hi: string } | undefined =>
  legacyPrefix.test(prefix) ? { lo: `${prefix}0-0000-0000-000000000000`, hi: `${prefix}f-ffff-ffff-ffffffffffff` } : undefined

export const make: Effect.Effect<SweepCandidates["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const ids = (list: ReadonlyArray<WorkspaceId.WorkspaceId>) => pgArray(list)
  return SweepCandidates.of({
    refs: (list) =>
      refRows(sql`SELECT ${sql.literal(refColumns)} FROM workspaces WHERE id = ANY(${ids(list)}::uuid[])`).pipe(datastore),
    refsByIdPrefix: (prefixes) => {
      // Distinct prefixes give disjoint ranges: no row is returned twice.
      const ranges = [...new Set(prefixes.map((p) => p.toLowerCase()))].flatMap((p) => prefixRange(p) ?? [])
      if (ranges.length === 0) return Effect.succeed([])
      return refRows(sql`
        SELECT ${sql.literal(refColumns)}
        FROM unnest(${pgArray(ranges.map((r) => r.lo))}::uuid[], ${pgArray(ranges.map((r) => r.hi))}::uuid[]) AS p(lo, hi)
        JOIN workspaces ON id BETWEEN p.lo AND p.hi ORDER BY id`).pipe(datastore)
    },
    removedWithInstance: refRows(sql`
      SELECT ${sql.literal(refColumns)} FROM workspaces
      WHERE status = ${removed}::workspace_status AND instance_id IS NOT NULL`).pipe(datastore),
    onlineContainerWorkspaces: refRows(sql`
      SELECT ${sql.literal(refColumns)} FROM workspaces
      WHERE status = ANY(${live}::workspace_status[]) AND runtime <> ${Runtime.EXTERNAL}`).pipe(datastore),
    provisioningRows: sql`
      SELECT id, name, runtime, EXTRACT(EPOCH FROM now() - updated_at)::float8 AS age_seconds FROM workspaces
      WHERE status = ${provisioning}::workspace_status ORDER BY updated_at`.pipe(
      Effect.flatMap(Schema.decodeUnknown(ProvisioningRows)),
      datastore
    )
  })
})

export const layer = Layer.effect(SweepCandidates, make)
