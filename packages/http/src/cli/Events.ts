/**
 * `berth events`: the recorded events (§5.12, newest first) of the server or of one workspace; with `--follow`, the
 * workspace's Server-Sent Events stream, one line per event until interrupted (or `--count` events). The stream is
 * read with the plain HTTP client (the typed client would wait for the end of the body); its frames are
 * `id:` and `data: {"type","timestamp","data"}` lines.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Console, Effect, Stream } from "effect"
import type { Command, ExitCode, Input } from "./Command.js"
import * as Output from "./Output.js"
import * as Remote from "./Remote.js"
import { withId } from "./Workspaces.js"

const path = "berth events"

/** The `data:` payloads of an SSE body, one per event (comments and heartbeats skipped). */
export const sseData = <E, R>(body: Stream.Stream<Uint8Array, E, R>): Stream.Stream<string, E, R> =>
  body.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.filter((line) => line.startsWith("data:")),
    Stream.map((line) => line.slice("data:".length).trim())
  )

const eventLine = (data: string): string => {
  try {
    const event = JSON.parse(data) as { readonly type?: unknown; readonly timestamp?: unknown; readonly data?: unknown }
    const at = typeof event.timestamp === "number" ? new Date(event.timestamp).toISOString() : ""
    return `${at}  ${Output.cell(event.type)}  ${Output.cell(event.data)}`
  } catch {
    return data
  }
}

const follow = (input: Input) => withId(path, input, (id) => {
  const raw = input.flags.get("count")
  const count = typeof raw === "string" ? Number(raw) : undefined
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    return Effect.as(Console.error(`${path}: --count must be a positive integer`), 2 as const)
  }
  const json = input.flags.has("json")
  return Remote.call(path, (remote) => Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const request = Remote.authorize(remote)(
      HttpClientRequest.get(`${remote.url}/workspaces/${id}/events/stream`).pipe(HttpClientRequest.accept("text/event-stream"))
    )
    const response = yield* http.execute(request)
    if (response.status !== 200) {
      // The guards answer the contract's `{"error": …}`: tell it as the typed client's errors are told.
      const body = yield* Effect.orElseSucceed(response.json, () => ({}))
      return yield* Effect.fail({ _tag: response.status === 401 ? "Unauthorized" : "Refused", ...(body as object) })
    }
    const events = sseData(response.stream)
    yield* (count === undefined ? events : Stream.take(events, count)).pipe(
      Stream.runForEach((data) => Console.log(json ? data : eventLine(data)))
    )
  }).pipe(Effect.scoped), () => Effect.void)
})

const columns = ["created_at", "event_type", "workspace_id", "payload"]

const recorded = (input: Input): Effect.Effect<ExitCode, never, HttpClient.HttpClient> => {
  const workspace = input.args[0]
  const json = input.flags.has("json")
  const show = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>) =>
    Output.show(json, rows, (r) => Output.table(columns, r))
  if (workspace === undefined) {
    return Remote.call(path, (remote) => Effect.flatMap(Remote.client(remote), (c) => c.events.latest()), show)
  }
  return withId(path, input, (id) => Remote.call(path,
    (remote) => Effect.flatMap(Remote.client(remote), (c) => c.events.latestOf({ path: { workspaceId: id } })), show))
}

export const events: Command<HttpClient.HttpClient> = {
  name: "events",
  summary: "show the recorded events, or follow one workspace's live stream (--follow)",
  args: [{ name: "id", optional: true, description: "a workspace id: only its events (required with --follow)" }],
  flags: [
    { name: "follow", description: "stream the workspace's events (GET /workspaces/:id/events/stream) until Ctrl-C" },
    { name: "count", value: "n", description: "with --follow: stop after n events" },
    { name: "json", description: "print JSON (with --follow: one event per line)" }
  ],
  env: Remote.remoteEnv,
  examples: ["berth events", "berth events 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --follow"],
  run: (input) => {
    if (!input.flags.has("follow")) return recorded(input)
    return input.args[0] === undefined
      ? Effect.as(Console.error(`${path}: --follow needs a workspace id; see ${path} --help`), 2 as const)
      : follow(input)
  }
}
