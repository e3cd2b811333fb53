/**
 * `WorkspaceHierarchy` over `SqlClient`: the parent/child tree walked in one recursive statement per question,
 * bounded in depth so a corrupt cycle cannot loop.
 */
import { SqlClient } from "@effect/sql"
import { WorkspaceHierarchy, WorkspaceStatus } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore } from "./Rows.js"
import { refColumns, refRows, selectWorkspace, WorkspaceRow } from "./WorkspaceRows.js"

const Workspaces = Schema.Array(WorkspaceRow)

const removed = WorkspaceStatus.terminal

export const make: Effect.Effect<WorkspaceHierarchy["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return WorkspaceHierarchy.of({
    children: (id) =>
      refRows(sql`
        SELECT ${sql.literal(refColumns)} FROM workspaces
        WHERE parent_id = ${id} AND status <> ${removed}::workspace_status ORDER BY created_at, id`).pipe(datastore),
    descendants: (id, includeRemoved) =>
      refRows(sql`
        WITH RECURSIVE d AS (
          SELECT ${sql.literal(refColumns)}, 1 AS depth FROM workspaces
          WHERE parent_id = ${id} AND (${includeRemoved}::boolean OR status <> ${removed}::workspace_status)
          UNION ALL
          SELECT w.id, w.name, w.status, w.runtime, w.parent_id, w.instance_id, d.depth + 1
          FROM workspaces w JOIN d ON w.parent_id = d.id
          WHERE d.depth < 64 AND (${includeRemoved}::boolean OR w.status <> ${removed}::workspace_status)
        )
        SELECT DISTINCT ON (id) ${sql.literal(refColumns)} FROM d ORDER BY id`).pipe(datastore),
    family: (self) =>
      sql`${selectWorkspace(sql)}
        WHERE w.status <> ${removed}::workspace_status AND (
          (w.id <> ${self.id} AND w.parent_id IS NOT DISTINCT FROM ${self.parentId}::uuid)
          OR w.parent_id = ${self.id}
          OR w.id = ${self.parentId}::uuid)
        ORDER BY w.created_at, w.id`.pipe(Effect.flatMap(Schema.decodeUnknown(Workspaces)), datastore),
    ancestors: (id) =>
      refRows(sql`
        WITH RECURSIVE a AS (
          SELECT p.id, p.name, p.status, p.runtime, p.parent_id, p.instance_id, 1 AS hop
          FROM workspaces c JOIN workspaces p ON p.id = c.parent_id WHERE c.id = ${id}
          UNION ALL
          SELECT p.id, p.name, p.status, p.runtime, p.parent_id, p.instance_id, a.hop + 1
          FROM a JOIN workspaces p ON p.id = a.parent_id WHERE a.hop < 32
        )
        SELECT ${sql.literal(refColumns)} FROM a ORDER BY hop`).pipe(datastore)
  })
})

export const layer = Layer.effect(WorkspaceHierarchy, make)
