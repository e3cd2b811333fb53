/**
 * A `node:http` request listener over a web-standard handler: the request becomes a `Request` (its body streamed,
 * aborted when the client goes away), the `Response` is written back as it streams (SSE included). In Express, use it
 * at the app's root (`app.use(listener)`): a mount path (`app.use("/berth", …)`) would be cut from `req.url` before
 * Berth sees it, and Berth's own `basePath` does the matching.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { Readable } from "node:stream"

/** The `Request` of a Node request; `signal` aborts when the response closes before it ends. */
export const toRequest = (incoming: IncomingMessage, signal: AbortSignal): Request => {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "localhost"}`)
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const method = incoming.method ?? "GET"
  const body = method === "GET" || method === "HEAD" ? {} : { body: Readable.toWeb(incoming) as ReadableStream, duplex: "half" }
  return new Request(url, { method, headers, signal, ...body } as RequestInit)
}

/** Writes `response` to `outgoing`, streaming its body. */
export const writeResponse = async (response: Response, outgoing: ServerResponse): Promise<void> => {
  const cookies = response.headers.getSetCookie()
  const headers: Record<string, string | Array<string>> = {}
  response.headers.forEach((value, name) => { if (name !== "set-cookie") headers[name] = value })
  if (cookies.length > 0) headers["set-cookie"] = cookies
  outgoing.writeHead(response.status, headers)
  if (response.body === null) return void outgoing.end()
  for await (const chunk of response.body) outgoing.write(chunk)
  outgoing.end()
}

/** `(req, res) => void` for `http.createServer`; a handler that rejects answers a bare 500. */
export const nodeListener = (handler: (request: Request) => Promise<Response>) =>
  (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const aborted = new AbortController()
    outgoing.on("close", () => { if (!outgoing.writableFinished) aborted.abort() })
    handler(toRequest(incoming, aborted.signal))
      .then((response) => writeResponse(response, outgoing))
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "application/json" })
        outgoing.end(outgoing.headersSent ? undefined : JSON.stringify({ error: "internal error" }))
      })
  }
