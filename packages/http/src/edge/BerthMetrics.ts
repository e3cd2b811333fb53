/**
 * Berth's own series on `/metrics` (§5.1): `berth_workspaces{status}` from the database, and every Effect `Metric`
 * whose name starts with `berth_` (loops and the heartbeat handler record `berth_sweep_duration_seconds{loop}` and
 * `berth_heartbeat_duration_seconds` with `Metric.gauge`/`Metric.histogram`; they appear here without wiring).
 */
import { Effect, Metric, type MetricPair, MetricState, Option } from "effect"
import { escapeHelp, escapeLabel, formatValue } from "./HttpMetrics.js"

/** Every status gets a line, zero when no row has it, so dashboards see the full set. */
export const renderWorkspaces = (
  statuses: ReadonlyArray<string>,
  rows: ReadonlyArray<{ readonly status: string; readonly count: number }>
): string => {
  const counts = new Map(rows.map((r) => [r.status, Number(r.count)]))
  return [
    "# HELP berth_workspaces Workspaces by status.",
    "# TYPE berth_workspaces gauge",
    ...statuses.map((s) => `berth_workspaces{status="${escapeLabel(s)}"} ${counts.get(s) ?? 0}`)
  ].join("\n") + "\n"
}

const labels = (tags: ReadonlyArray<{ readonly key: string; readonly value: string }>, extra = "") => {
  const all = tags.map((t) => `${t.key}="${escapeLabel(t.value)}"`)
  if (extra !== "") all.push(extra)
  return all.length === 0 ? "" : `{${all.join(",")}}`
}

type Pair = MetricPair.MetricPair.Untyped

const kind = (state: Pair["metricState"]): "counter" | "gauge" | "histogram" | undefined =>
  MetricState.isCounterState(state) ? "counter"
  : MetricState.isGaugeState(state) ? "gauge"
  : MetricState.isHistogramState(state) ? "histogram"
  : undefined

const samples = (name: string, { metricKey: { tags }, metricState: state }: Pair): ReadonlyArray<string> => {
  if (MetricState.isCounterState(state)) return [`${name}${labels(tags)} ${formatValue(Number(state.count))}`]
  if (MetricState.isGaugeState(state)) return [`${name}${labels(tags)} ${formatValue(Number(state.value))}`]
  if (!MetricState.isHistogramState(state)) return []
  return [
    ...[...state.buckets].map(([bound, count]) => `${name}_bucket${labels(tags, `le="${formatValue(bound)}"`)} ${count}`),
    `${name}_sum${labels(tags)} ${formatValue(state.sum)}`,
    `${name}_count${labels(tags)} ${state.count}`
  ]
}

/**
 * The `berth_*` Effect metrics in Prometheus text (counters, gauges, histograms). The exposition format wants each
 * family in one block under its HELP and TYPE lines, while the registry lists series in creation order (a loop's
 * first tagged series can come after another family), so series are grouped by name first.
 */
export const renderEffectMetrics: Effect.Effect<string> = Effect.map(Metric.snapshot, (pairs) => {
  const families = new Map<string, Array<Pair>>()
  for (const pair of pairs) {
    const name = pair.metricKey.name
    if (!name.startsWith("berth_") || kind(pair.metricState) === undefined) continue
    families.set(name, [...(families.get(name) ?? []), pair])
  }
  const lines: Array<string> = []
  for (const [name, family] of families) {
    const first = family[0]!
    const help = Option.getOrElse(first.metricKey.description, () => name.replace(/_/g, " "))
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${kind(first.metricState)}`)
    for (const pair of family) lines.push(...samples(name, pair))
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n"
})
