/**
 * Node answers some bad requests itself, before any handler runs (`clientError`: a malformed request line, headers
 * over its 16 KiB limit, a NUL in a header value): by default with an empty body. Every 4xx carries a JSON
 * `{"error": …}` (issue 15), so the listener answers those too.
 */
import type { Socket } from "node:net"
import { createServer } from "node:http"
import type { Server } from "node:http"

interface ClientError extends Error {
  readonly code?: string
}

const reply = (status: number, reason: string, error: string): string => {
  const body = JSON.stringify({ error })
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}

/** The answer for a `clientError`: 431 for oversized headers, 400 for the rest. */
export const answerFor = (error: ClientError): string =>
  error.code === "HPE_HEADER_OVERFLOW"
    ? reply(431, "Request Header Fields Too Large", "request headers too large")
    : reply(400, "Bad Request", "malformed request")

/** Installs the JSON answers on a Node server. */
export const jsonClientErrors = (server: Server): Server =>
  server.on("clientError", (error: ClientError, socket: Socket) => {
    // A reset or timed-out socket cannot be answered (Node's own handler skips those too).
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy()
    socket.end(answerFor(error))
  })

/** A Node server with the JSON answers. */
export const createJsonServer = (): Server => jsonClientErrors(createServer())
