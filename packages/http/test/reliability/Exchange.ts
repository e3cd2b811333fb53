/**
 * Raw requests for the reliability suites: what a non-Effect client would see, with any body bytes and headers, and
 * safe on streaming routes (an SSE answer is not read to its end, which never comes).
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import type { Method } from "./RouteTable.js"

export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body; empty for a stream. */
  readonly text: string
}

export interface Request {
  readonly method: Method
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as-is; `contentType` defaults to `application/json`. */
  readonly body?: string | Uint8Array
  readonly contentType?: string
}

/** One request to the server `HttpClient` is aimed at (`NodeHttpServer.layerTest`). */
export const exchange = (request: Request) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    let outgoing = HttpClientRequest.make(request.method)(request.path)
    if (request.body !== undefined) {
      const type = request.contentType ?? "application/json"
      outgoing = typeof request.body === "string"
        ? HttpClientRequest.bodyText(outgoing, request.body, type)
        : HttpClientRequest.bodyUint8Array(outgoing, request.body, type)
    }
    outgoing = HttpClientRequest.setHeaders(outgoing, request.headers ?? {})
    const response = yield* client.execute(outgoing)
    const streaming = (response.headers["content-type"] ?? "").startsWith("text/event-stream")
    const text = streaming ? "" : yield* response.text
    return { status: response.status, headers: response.headers, text } satisfies Answer
  }).pipe(Effect.scoped)

/** The JSON body, or `undefined` when it is not JSON. */
export const jsonOf = (answer: Answer): unknown => {
  try {
    return JSON.parse(answer.text)
  } catch {
    return undefined
  }
}

/** A contract error body: a JSON object with a string `error` (§0). */
export const isErrorBody = (answer: Answer): boolean => {
  const body = jsonOf(answer)
  return typeof body === "object" && body !== null && "error" in body && typeof body.error === "string" &&
    (answer.headers["content-type"] ?? "").includes("application/json")
}
