/**
 * Request counters for `/metrics` (§5.1): `molecule_http_requests_total` and
 * `molecule_http_request_duration_seconds_total` by method, route template and status, plus the active WebSocket
 * gauge. Plain in-memory maps rendered as Prometheus text; nothing here touches the database.
 */
import { Context, Effect, Layer } from "effect"

export interface Sample {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly seconds: number
}

export class HttpMetrics extends Context.Tag("@berth/http/HttpMetrics")<HttpMetrics, {
  readonly record: (sample: Sample) => Effect.Effect<void>
  /** +1 on open, -1 on close (the event WebSocket). */
  readonly websockets: (delta: number) => Effect.Effect<void>
  /** The request metrics as Prometheus text lines. */
  readonly render: Effect.Effect<string>
}>() {}

/** Prometheus label value escaping: backslash, double quote and newline. */
export const escapeLabel = (value: string): string =>
  !/[\\"\n]/.test(value) ? value : value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")

/** Prometheus HELP text escaping: backslash and newline. */
export const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

/**
 * A sample value in Prometheus text. Sums of float seconds pick up binary artefacts (0.1 + 0.2 = 0.30000000000000004);
 * 15 significant digits is what a double holds exactly, so rounding there drops the artefacts and keeps the value.
 */
export const formatValue = (value: number): string =>
  Number.isNaN(value) ? "NaN"
  : value === Infinity ? "+Inf"
  : value === -Infinity ? "-Inf"
  : String(Number(value.toPrecision(15)))

export const make = Effect.sync(() => {
  const series = new Map<string, { labels: string; count: number; seconds: number }>()
  let sockets = 0
  return HttpMetrics.of({
    record: ({ method, path, status, seconds }) => Effect.sync(() => {
      const labels = `method="${escapeLabel(method)}",path="${escapeLabel(path)}",status="${status}"`
      const entry = series.get(labels) ?? { labels, count: 0, seconds: 0 }
      entry.count += 1
      entry.seconds += seconds
      series.set(labels, entry)
    }),
    websockets: (delta) => Effect.sync(() => { sockets = Math.max(0, sockets + delta) }),
    render: Effect.sync(() => {
      const entries = [...series.values()].sort((a, b) => a.labels.localeCompare(b.labels))
      return [
        "# HELP molecule_http_requests_total Total HTTP requests by method, route and status.",
        "# TYPE molecule_http_requests_total counter",
        ...entries.map((e) => `molecule_http_requests_total{${e.labels}} ${e.count}`),
        "# HELP molecule_http_request_duration_seconds_total Total time spent serving HTTP requests.",
        "# TYPE molecule_http_request_duration_seconds_total counter",
        ...entries.map((e) => `molecule_http_request_duration_seconds_total{${e.labels}} ${formatValue(e.seconds)}`),
        "# HELP molecule_websocket_connections_active Open event WebSocket connections.",
        "# TYPE molecule_websocket_connections_active gauge",
        `molecule_websocket_connections_active ${sockets}`
      ].join("\n") + "\n"
    })
  })
})

export const layer = Layer.effect(HttpMetrics, make)
