/**
 * Berth's own series on `/metrics` (§5.1): `berth_workspaces{status}` from the database, and every Effect `Metric`
 * whose name starts with `berth_` (loops and the heartbeat handler record `berth_sweep_duration_seconds{loop}` and
 * `berth_heartbeat_duration_seconds` with `Metric.gauge`/`Metric.histogram`; they appear here without wiring).
 */
import { Effect, Metric, MetricState } from "effect"
import { escapeLabel } from "./HttpMetrics.js"

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

/** The `berth_*` Effect metrics in Prometheus text (counters, gauges, histograms). */
export const renderEffectMetrics: Effect.Effect<string> = Effect.map(Metric.snapshot, (pairs) => {
  const lines: Array<string> = []
  const typed = new Set<string>()
  const type = (name: string, kind: string) => {
    if (!typed.has(name)) lines.push(`# TYPE ${name} ${kind}`)
    typed.add(name)
  }
  for (const { metricKey, metricState } of pairs) {
    const name = metricKey.name
    if (!name.startsWith("berth_")) continue
    const tags = metricKey.tags
    if (MetricState.isCounterState(metricState)) {
      type(name, "counter")
      lines.push(`${name}${labels(tags)} ${metricState.count}`)
    } else if (MetricState.isGaugeState(metricState)) {
      type(name, "gauge")
      lines.push(`${name}${labels(tags)} ${metricState.value}`)
    } else if (MetricState.isHistogramState(metricState)) {
      type(name, "histogram")
      for (const [bound, count] of metricState.buckets) {
        lines.push(`${name}_bucket${labels(tags, `le="${Number.isFinite(bound) ? bound : "+Inf"}"`)} ${count}`)
      }
      lines.push(`${name}_sum${labels(tags)} ${metricState.sum}`, `${name}_count${labels(tags)} ${metricState.count}`)
    }
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n"
})
