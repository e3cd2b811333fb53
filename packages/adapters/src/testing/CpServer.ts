/**
 * A real control plane for tests: a `node:http` server on 127.0.0.1 (port 0) serving the CP routes of §8.3. Unless
 * told otherwise it behaves like a small CP (provision makes a machine, stop removes it, status reports it); each
 * operation can be scripted to answer a status and body, after a delay, to hang, or to drop the connection, for the
 * next N requests or for good. Every request is recorded as it reached the wire, so tests assert what was sent.
 */
import type { Scope } from "effect"
import { Duration, Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** The CP routes: `POST /cp/workspaces/provision`, `DELETE /cp/workspaces/:id`, `GET …/:id/status`, `GET /cp/admin/workspaces/:id/console`. */
export type Operation = "provision" | "stop" | "status" | "console" | "unknown"

/** One request as the server received it. */
export interface ReceivedRequest {
  readonly operation: Operation
  readonly method: string
  /** The path without the query, e.g. `/cp/workspaces/<id>/status`. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Header names lower-cased, as Node delivers them. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The workspace id in the path; for provision, `workspace_id` of the body; `""` when there is none. */
  readonly workspaceId: string
}

/** How the server answers one request. */
export type Reply =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly body: string
    readonly contentType: string
    readonly delay: Duration.Duration
  }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "Drop" }

/** Answer `status` with `body` (a string as-is, anything else as JSON), optionally after a real-time `delay`. */
export const respond = (
  status: number,
  body: unknown = "",
  options: { readonly delay?: Duration.DurationInput } = {}
): Reply => ({
  _tag: "Respond",
  status,
  body: typeof body === "string" ? body : JSON.stringify(body),
  contentType: typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
  delay: Duration.decode(options.delay ?? 0)
})

/** Read the request, then never answer (the connection stays open until the client gives up or the server closes). */
export const hang: Reply = { _tag: "Hang" }

/** Read the request, then destroy the connection without answering. */
export const drop: Reply = { _tag: "Drop" }

export interface CpServer {
  /** Base URL to configure the CP provisioner with, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /**
   * Scripts `operation`: its next `times` requests (default: every one) get `reply`. Scripts queue in call order;
   * when all are used up the default behaviour answers again. `answer("stop", respond(503), { times: 2 })` is
   * "fail twice, then succeed".
   */
  readonly answer: (operation: Operation, reply: Reply, options?: { readonly times?: number }) => Effect.Effect<void>
  /** The requests received so far, in arrival order; only those of `operation` when given. */
  readonly requests: (operation?: Operation) => Effect.Effect<ReadonlyArray<ReceivedRequest>>
  /** Waits until at least `count` requests (of `operation`, when given) have arrived, and returns them. */
  readonly awaitRequests: (count: number, operation?: Operation) => Effect.Effect<ReadonlyArray<ReceivedRequest>>
  /** The machines the default behaviour holds: workspace id → instance id. */
  readonly machines: Effect.Effect<ReadonlyMap<string, string>>
  /** Forgets scripts, recorded requests and machines. */
  readonly reset: Effect.Effect<void>
}

const workspaceRoute = /^\/cp\/workspaces\/([^/]+)$/
const statusRoute = /^\/cp\/workspaces\/([^/]+)\/status$/
const consoleRoute = /^\/cp\/admin\/workspaces\/([^/]+)\/console$/

const route = (method: string, path: string): { readonly operation: Operation; readonly id: string } => {
  const match = (pattern: RegExp) => pattern.exec(path)?.[1] ?? "" // ids are UUIDs: nothing to decode
  if (method === "POST" && path === "/cp/workspaces/provision") return { operation: "provision", id: "" }
  if (method === "DELETE" && workspaceRoute.test(path)) return { operation: "stop", id: match(workspaceRoute) }
  if (method === "GET" && statusRoute.test(path)) return { operation: "status", id: match(statusRoute) }
  if (method === "GET" && consoleRoute.test(path)) return { operation: "console", id: match(consoleRoute) }
  return { operation: "unknown", id: "" }
}

const bodyWorkspaceId = (body: string): string => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null && "workspace_id" in parsed) return String(parsed.workspace_id)
  } catch {
    // not JSON: the provisioner under test sent something else, which the recorded body shows
  }
  return ""
}

const flatHeaders = (headers: Http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]]
    )
  )

interface Script {
  readonly reply: Reply
  remaining: number
}

interface Waiter {
  readonly count: number
  readonly operation: Operation | undefined
  readonly resume: (requests: ReadonlyArray<ReceivedRequest>) => void
}

/** Starts the server; it closes (dropping open connections) when the scope ends. */
export const make: Effect.Effect<CpServer, never, Scope.Scope> = Effect.gen(function* () {
  let received: Array<ReceivedRequest> = []
  let scripts: Array<{ readonly operation: Operation; readonly script: Script }> = []
  let machines = new Map<string, string>()
  let nextMachine = 1
  const waiters = new Set<Waiter>()
  const timers = new Set<NodeJS.Timeout>()

  const matching = (operation: Operation | undefined) =>
    operation === undefined ? received : received.filter((r) => r.operation === operation)

  const wake = () => {
    for (const waiter of waiters) {
      const seen = matching(waiter.operation)
      if (seen.length >= waiter.count) {
        waiters.delete(waiter)
        waiter.resume(seen)
      }
    }
  }

  /** The small CP: what every unscripted request gets. */
  const defaultReply = (request: ReceivedRequest): Reply => {
    const instanceId = request.query["instance_id"] ?? ""
    switch (request.operation) {
      case "provision": {
        const made = `i-${(nextMachine++).toString(16).padStart(17, "0")}`
        machines.set(request.workspaceId, made)
        return respond(201, { instance_id: made, private_ip: "127.0.0.1", state: "pending", error: "" })
      }
      case "stop":
        if (machines.get(request.workspaceId) === instanceId) machines.delete(request.workspaceId)
        return respond(200, { ok: true })
      case "status":
        return respond(200, { state: machines.get(request.workspaceId) === instanceId ? "running" : "terminated" })
      case "console":
        return respond(200, { output: `console of ${request.workspaceId}` })
      case "unknown":
        return respond(404, { error: "not found" })
    }
  }

  const replyFor = (request: ReceivedRequest): Reply => {
    const scripted = scripts.find((s) => s.operation === request.operation && s.script.remaining > 0)
    if (scripted === undefined) return defaultReply(request)
    scripted.script.remaining -= 1
    return scripted.script.reply
  }

  const send = (response: Http.ServerResponse, reply: Reply & { readonly _tag: "Respond" }) => {
    response.writeHead(reply.status, { "content-type": reply.contentType })
    response.end(reply.body)
  }

  const server = Http.createServer((incoming, response) => {
    const chunks: Array<Buffer> = []
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
    incoming.on("end", () => {
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1")
      const method = incoming.method ?? ""
      const body = Buffer.concat(chunks).toString("utf8")
      const { id, operation } = route(method, url.pathname)
      const request: ReceivedRequest = {
        operation,
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: flatHeaders(incoming.headers),
        body,
        workspaceId: operation === "provision" ? bodyWorkspaceId(body) : id
      }
      received.push(request)
      const reply = replyFor(request)
      wake()
      switch (reply._tag) {
        case "Hang":
          return
        case "Drop":
          incoming.socket.destroy()
          return
        case "Respond": {
          const delay = Duration.toMillis(reply.delay)
          if (delay === 0) return send(response, reply)
          const timer = setTimeout(() => {
            timers.delete(timer)
            send(response, reply)
          }, delay)
          timers.add(timer)
        }
      }
    })
  })

  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const timer of timers) clearTimeout(timer)
        server.close(() => resume(Effect.void))
        server.closeAllConnections() // hung requests and idle keep-alive sockets
      })
  )

  return {
    url: `http://127.0.0.1:${port}`,
    answer: (operation, reply, options = {}) =>
      Effect.sync(() => {
        scripts.push({ operation, script: { reply, remaining: options.times ?? Number.POSITIVE_INFINITY } })
      }),
    requests: (operation) => Effect.sync(() => [...matching(operation)]),
    awaitRequests: (count, operation) =>
      Effect.async<ReadonlyArray<ReceivedRequest>>((resume) => {
        const seen = matching(operation)
        if (seen.length >= count) return resume(Effect.succeed([...seen]))
        const waiter: Waiter = { count, operation, resume: (requests) => resume(Effect.succeed([...requests])) }
        waiters.add(waiter)
        return Effect.sync(() => waiters.delete(waiter))
      }),
    machines: Effect.sync(() => new Map(machines)),
    reset: Effect.sync(() => {
      received = []
      scripts = []
      machines = new Map()
    })
  } satisfies CpServer
})
