/**
 * Maps a request path to its route template (`/workspaces/:id/activity`) so metrics are labelled by route, not by
 * every id ever seen (§5.1). Built from the API definition, plus the raw routes outside it.
 */
import { HttpApi } from "@effect/platform"
import type { HttpApiGroup } from "@effect/platform"

const raw = ["/openapi.json", "/docs", "/ws"]

type Matcher = (segments: ReadonlyArray<string>) => boolean

const compile = (template: string): Matcher => {
  const parts = template.split("/").filter((s) => s !== "")
  return (segments) =>
    segments.length === parts.length && parts.every((p, i) => p.startsWith(":") || p === segments[i])
}

/** A function from a request path to its template, or `"unmatched"`. Literal segments win over parameters. */
export const fromApi = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>
): ((path: string) => string) => {
  const templates = new Set<string>(raw)
  HttpApi.reflect(api, { onGroup: () => {}, onEndpoint: ({ endpoint }) => { templates.add(endpoint.path) } })
  // Fewer parameters first, so `/workspaces/new-thing` is not taken by `/workspaces/:id` when both exist.
  const ordered = [...templates]
    .sort((a, b) => (a.split(":").length - b.split(":").length))
    .map((t) => [t, compile(t)] as const)
  // A literal template is its own path: one lookup, not a walk of every template (heartbeat, /health: every request).
  const literal = new Set([...templates].filter((t) => !t.includes(":")))
  return (path) => {
    if (literal.has(path)) return path
    const segments = path.split("/").filter((s) => s !== "")
    for (const [template, matches] of ordered) if (matches(segments)) return template
    return "unmatched"
  }
}
