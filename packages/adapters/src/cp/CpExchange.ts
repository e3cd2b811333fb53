/**
 * One HTTP exchange with the control plane (§8.3): the request goes out with the route's credentials, and what
 * comes back is the status and a bounded prefix of the body, or a transport failure. Interpreting the answer is the
 * provisioner's job; this module only makes sure no exchange reads unbounded bodies or outlives its timeout.
 */
import type { HttpClientError } from "@effect/platform"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Data, Duration, Effect, Redacted, Stream } from "effect"
import type { CpOptions } from "./CpConfig.js"
import { defaultTimeout, isBlank } from "./CpConfig.js"

/** Contract §8.3: an error excerpt is at most the first 512 bytes of the body. */
export const excerptBytes = 512

/** A CP answer: its status and at most the requested number of body bytes. */
export interface Answer {
  readonly status: number
  readonly body: Uint8Array
}

/** The exchange produced no answer: connection refused or dropped, or the timeout passed. */
export class TransportFailure extends Data.TaggedError("TransportFailure")<{ readonly reason: string }> {}

/** Provision routes (`/cp/workspaces/…`) carry the shared secret; admin routes (`/cp/admin/…`) the admin API token. */
export type Route = "provision" | "admin"

/** What one exchange sends and how much of the answer it keeps. */
export interface Call {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly route: Route
  /** Body bytes kept; the rest is never read (the request is aborted when the exchange ends). */
  readonly readLimit: number
}

/** At most the first 512 bytes of a body as text, trimmed; a character cut by the limit is dropped, not mangled. */
export const excerptOf = (body: Uint8Array): string =>
  new TextDecoder().decode(body.subarray(0, excerptBytes), { stream: true }).trim()

/** Renders a transport cause; Node's connection errors can be an `AggregateError` with an empty message. */
const describeCause = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors.map(describeCause).join("; ")
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : ""
    return cause.message !== "" ? cause.message : code !== "" ? code : cause.name
  }
  return String(cause)
}

const readAtMost = <E>(stream: Stream.Stream<Uint8Array, E>, limit: number): Effect.Effect<Uint8Array, E> =>
  Stream.runFoldWhile(
    stream,
    { chunks: [] as ReadonlyArray<Uint8Array>, size: 0 },
    (read) => read.size < limit,
    (read, chunk) => ({ chunks: [...read.chunks, chunk], size: read.size + chunk.length })
  ).pipe(Effect.map(({ chunks }) => Buffer.concat(chunks).subarray(0, limit)))

/** Builds `exchange` for one client and configuration. */
export const makeExchange = (client: HttpClient.HttpClient, options: CpOptions) => {
  const timeout = Duration.decode(options.timeout ?? defaultTimeout)
  // The CP takes no trace context: keep the wire to the contract's headers. Scoped requests are aborted when the
  // exchange ends, so an unread body rest never holds a connection.
  const scoped = client.pipe(HttpClient.withTracerPropagation(false), HttpClient.withScope)

  const withCredentials = (call: Call) => {
    const bearer = call.route === "provision" ? options.sharedSecret : options.adminApiToken
    // Contract: empty values are not sent (a development CP without gates still answers).
    const withBearer = isBlank(bearer) ? call.request : HttpClientRequest.bearerToken(call.request, bearer)
    return isBlank(options.adminToken)
      ? withBearer
      : HttpClientRequest.setHeader(withBearer, "X-Molecule-Admin-Token", Redacted.value(options.adminToken))
  }

  const transport = (error: HttpClientError.HttpClientError) =>
    new TransportFailure({ reason: describeCause(error.cause ?? error.message) })

  /** Sends `call` and keeps the status and at most `readLimit` body bytes, all within the client timeout. */
  return (call: Call): Effect.Effect<Answer, TransportFailure> =>
    scoped.execute(withCredentials(call)).pipe(
      Effect.flatMap((response) =>
        Effect.map(readAtMost(response.stream, call.readLimit), (body): Answer => ({ status: response.status, body }))
      ),
      Effect.scoped,
      Effect.mapError(transport),
      // Contract: one bound on the whole exchange, body included (like Go's http.Client.Timeout).
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new TransportFailure({ reason: `timed out after ${Duration.format(timeout)}` })
      })
    )
}

/** Whether a status is 2xx. */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300
