/**
 * Sweep cost as the table grows (issue 9, item 4): one pass of each set-based sweep statement of §7 at 1k, 10k and
 * 100k workspaces, through the real repositories on a fresh Postgres database. Rows are seeded with set-based SQL in
 * a steady-state mix (most rows beating, 1 % of them stale), so each pass finds and changes a few rows, as in
 * production. Every pass runs inside a transaction that is rolled back, so repetitions see the same rows; the median
 * of the repetitions is reported. Baselines in the same transactions: a single-row UPDATE by primary key (the cost of
 * any one indexed statement: what a sweep costs if its index does its job) and a full scan of the table it filters
 * (what it would cost without one). `EXPLAIN (ANALYZE, BUFFERS)` of each statement at the largest size is attached.
 */
import { SqlClient, Statement } from "@effect/sql"
import { Persistence, SecretCipher } from "@berth/adapters"
import { StatusWrites, SweepCandidates, TokenRepository, Transitions } from "@berth/core"
import { Data, Effect, Layer, Option, Redacted, Ref } from "effect"
import { benchId, benchIdSql } from "../lib/Agents.js"
import { median } from "../load/Stats.js"
import { freshDatabase, query } from "../lib/Postgres.js"
import type { Section } from "../lib/Report.js"
import { ms, num, table } from "../lib/Report.js"

export interface SweepOptions {
  readonly sizes: ReadonlyArray<number>
  readonly repetitions: number
}

export const defaults: SweepOptions = { sizes: [1_000, 10_000, 100_000], repetitions: 7 }

/**
 * The steady-state mix by row number g: half external, half container runtimes; 0.5 % provisioning, 5 % each paused,
 * removed and offline, the rest online; heartbeats a few seconds old. At every size the same few rows qualify, so
 * growth is the cost of finding them: 10 online external rows and 10 online container rows beat 400 s ago
 * (g mod size/10 = 50, 51), 5 provisioning rows are stuck for 20 minutes (g mod size/5 = 1), and 20 container tokens
 * have been unused for 10 minutes (g mod size/10 = 51, 53); one token per non-removed row.
 */
const seed = (url: string, size: number) =>
  Effect.gen(function* () {
    yield* query(url, `
      INSERT INTO workspaces (id, name, status, runtime, last_heartbeat_at, updated_at, awareness_namespace)
      SELECT ${benchIdSql("g")}, 'sweep-' || g,
        (CASE WHEN g % 200 = 1 THEN $1 WHEN g % 20 = 3 THEN $2 WHEN g % 20 = 5 THEN $3 WHEN g % 20 = 7 THEN $4 ELSE $5 END)
          ::workspace_status,
        CASE WHEN g % 2 = 0 THEN 'external' ELSE 'claude-code' END,
        now() - make_interval(secs => CASE WHEN g % ($6::int / 10) IN (50, 51) THEN 400 ELSE g % 20 END),
        now() - make_interval(secs => CASE WHEN g % ($6::int / 5) = 1 THEN 1200 ELSE g % 30 END),
        'workspace:' || g
      FROM generate_series(1, $6::int) g`, ["provisioning", "paused", "removed", "offline", "online", size])
    yield* query(url, `
      INSERT INTO workspace_auth_tokens (workspace_id, token_hash, prefix, created_at, last_used_at)
      SELECT ${benchIdSql("g")}, decode(md5(g::text) || md5((-g)::text), 'hex'), 'bench', now() - interval '1 hour',
        now() - make_interval(secs => CASE WHEN g % ($1::int / 10) IN (51, 53) THEN 600 ELSE 10 END)
      FROM generate_series(1, $1::int) g WHERE g % 20 <> 5`, [size])
    yield* query(url, "VACUUM ANALYZE")
  })

class Rollback extends Data.TaggedError("Rollback") {}

/** Runs `effect` in a transaction that is then rolled back, and returns what it returned. */
const rolledBack = <A, E, R>(sql: SqlClient.SqlClient, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const out = yield* Ref.make(Option.none<A>())
    yield* sql.withTransaction(Effect.flatMap(effect, (a) => Effect.zipRight(Ref.set(out, Option.some(a)), Effect.fail(new Rollback())))).pipe(
      Effect.catchTag("Rollback", () => Effect.void)
    )
    return Option.getOrThrow(yield* Ref.get(out))
  })

/** One pass in a rolled-back transaction: its duration (ms, the statement only) and how many rows it returned. */
const timedOnce = <E, R>(sql: SqlClient.SqlClient, pass: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
  rolledBack(sql, Effect.gen(function* () {
    const started = performance.now()
    const rows = yield* pass
    return { millis: performance.now() - started, rows: rows.length }
  })).pipe(Effect.orDie)

/** The statements one call of `pass` ran, compiled, captured without changing them. */
const captured = <A, E, R>(pass: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const seen = yield* Ref.make<ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>>([])
    yield* Effect.exit(pass.pipe(Statement.withTransformer((statement) =>
      Effect.as(Ref.update(seen, (list) => [...list, statement.compile()]), statement))))
    return yield* Ref.get(seen)
  })

export interface SweepTiming {
  readonly name: string
  readonly kind: "sweep" | "baseline"
  /** Median ms and rows per size, in the order of `sizes`. */
  readonly bySize: ReadonlyArray<{ readonly size: number; readonly millis: number; readonly rows: number }>
  /** The plan at the largest size. */
  readonly plan: string
}

interface Pass {
  readonly name: string
  readonly kind: SweepTiming["kind"]
  readonly pass: Effect.Effect<ReadonlyArray<unknown>, unknown>
}

const passes = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const statusWrites = yield* StatusWrites
  const candidates = yield* SweepCandidates
  const tokens = yield* TokenRepository
  const list: ReadonlyArray<Pass> = [
    { name: "health sweep, remote pass (`transitionWhere(remoteStale, 90)`)", kind: "sweep", pass: statusWrites.transitionWhere({ rule: Transitions.remoteStale, staleAfterSeconds: 90 }) },
    { name: "liveness (`transitionWhere(livenessOffline, 180)`)", kind: "sweep", pass: statusWrites.transitionWhere({ rule: Transitions.livenessOffline, staleAfterSeconds: 180 }) },
    { name: "provision-timeout rows (`provisioningRows`)", kind: "sweep", pass: candidates.provisioningRows },
    { name: "orphan sweeper stale tokens (`staleTokenWorkspaces(300)`)", kind: "sweep", pass: tokens.staleTokenWorkspaces(300) },
    { name: "single-row UPDATE by primary key", kind: "baseline", pass: sql`UPDATE workspaces SET updated_at = now() WHERE id = ${benchId(1)}::uuid RETURNING id` },
    { name: "full scan of `workspaces`", kind: "baseline", pass: sql`SELECT id FROM workspaces WHERE monthly_spend < 0` },
    { name: "full scan of `workspace_auth_tokens`", kind: "baseline", pass: sql`SELECT id FROM workspace_auth_tokens WHERE length(prefix) = 0` }
  ]
  return list
})

/** `EXPLAIN (ANALYZE, BUFFERS)` of captured statements, each in a rolled-back transaction (ANALYZE executes it). */
const explain = (sql: SqlClient.SqlClient, statements: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>) =>
  Effect.forEach(statements, ([text, params]) =>
    rolledBack(sql, sql.unsafe<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).pipe(
      Effect.map((rows) => rows.map((row) => Object.values(row)[0]).join("\n")),
      Effect.orDie
    )).pipe(Effect.map((plans) => plans.join("\n\n")))

/** One size: seed, then each pass `repetitions` times (and, when asked, its plan). */
const atSize = (size: number, options: SweepOptions, withPlans: boolean) =>
  Effect.scoped(Effect.gen(function* () {
    const db = yield* freshDatabase("berth_bench_sweeps")
    const services = Persistence.layerFor({ _tag: "Postgres", url: Redacted.make(db.url) }).pipe(Layer.provide(SecretCipher.layer(undefined)))
    const context = yield* Layer.build(services)
    return yield* Effect.gen(function* () {
      yield* seed(db.url, size)
      const sql = yield* SqlClient.SqlClient
      return yield* Effect.forEach(yield* passes, ({ name, kind, pass }) =>
        Effect.gen(function* () {
          const runs = yield* Effect.forEach(Array.from({ length: options.repetitions }), () => timedOnce(sql, pass))
          const plan = withPlans ? yield* Effect.flatMap(captured(timedOnce(sql, pass)), (s) => explain(sql, s)) : ""
          return { name, kind, size, millis: median(runs.map((r) => r.millis)), rows: runs[0]!.rows, plan }
        }))
    }).pipe(Effect.provide(context))
  }))

export const run = (options: SweepOptions = defaults) =>
  Effect.gen(function* () {
    const largest = options.sizes[options.sizes.length - 1]
    const bySize = yield* Effect.forEach(options.sizes, (size) => atSize(size, options, size === largest))
    const names = bySize[0]!.map((t) => t.name)
    return names.map((name): SweepTiming => {
      const entries = bySize.map((timings) => timings.find((t) => t.name === name)!)
      return {
        name,
        kind: entries[0]!.kind,
        bySize: entries.map(({ size, millis, rows }) => ({ size, millis, rows })),
        plan: entries[entries.length - 1]!.plan
      }
    })
  })

/** What a plan reads: its scan nodes (index or sequential, on which relation) and the rows they filtered away. */
export const planSummary = (plan: string): string => {
  const scans = [...plan.matchAll(/(Index Only Scan|Bitmap Index Scan|Index Scan|Seq Scan)(?: using (\w+))? on (\w+)/g)]
    .map((m) => (m[2] === undefined ? `${m[1]} on ${m[3]}` : `${m[1]} (${m[2]})`))
  const filtered = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  return `${[...new Set(scans)].join(", ")}${filtered > 0 ? `; ${num(filtered)} rows read and filtered out` : ""}`
}

/** The report section: one row per statement, one column per size, growth, and the plans. */
export const section = (timings: ReadonlyArray<SweepTiming>, options: SweepOptions = defaults): Section => {
  const largest = options.sizes[options.sizes.length - 1]!
  const rows = timings.map((t) => {
    const first = t.bySize[0]!
    const last = t.bySize[t.bySize.length - 1]!
    return [
      t.kind === "baseline" ? `*baseline:* ${t.name}` : t.name,
      ...t.bySize.map((b) => `${ms(b.millis)} (${num(b.rows)})`),
      `× ${num(last.millis / first.millis, 1)}`,
      planSummary(t.plan)
    ]
  })
  const plans = timings.map((t) => `<details><summary>${t.name}</summary>\n\n\`\`\`\n${t.plan}\n\`\`\`\n\n</details>`)
  return {
    title: "Sweep cost as the table grows (item 4)",
    body: [
      "One pass of each set-based sweep statement (§7) through the repositories, median of " +
      `${options.repetitions}, each in a rolled-back transaction (the commit, one WAL flush, is left out of every ` +
      "row alike). Rows: a steady-state mix (half external, mostly online and beating) in which the same few rows " +
      "qualify at every size: 10 stale external rows, 10 stale container rows, 5 stuck provisioning rows among 0.5 % " +
      "provisioning, 20 stale tokens. In brackets: rows the statement returned (changed rows for the two status " +
      "sweeps; every provisioning row for the timeout sweep, which applies each row's own deadline). Baselines: a single-row UPDATE by primary key is what any " +
      "one indexed statement costs (flat growth means the sweep's index does its job); a full scan is what the sweep " +
      "would cost without an index (it grows with the table).",
      "",
      table(["statement", ...options.sizes.map((s) => `${num(s)} workspaces`), `growth ${num(options.sizes[0]!)} → ${num(largest)}`, `plan at ${num(largest)}`], rows),
      "",
      `Plans at ${num(largest)} workspaces (\`EXPLAIN (ANALYZE, BUFFERS)\`, rolled back):`,
      "",
      ...plans
    ].join("\n"),
    aims: timings.filter((t) => t.kind === "sweep").map((t) => {
      const at = t.bySize[t.bySize.length - 1]!
      return {
        what: `${t.name} at ${num(at.size)} workspaces`,
        aim: "< 100 ms",
        measured: ms(at.millis),
        met: at.millis < 100,
        ...(at.millis < 100 ? {} : { note: `missed by ${ms(at.millis - 100)}; see its plan` })
      }
    })
  }
}
