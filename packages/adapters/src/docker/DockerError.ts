/**
 * The Docker adapter's internal errors and the one wrapper every dockerode call goes through (STYLE §8).
 *
 * `call` hands the fiber's `AbortSignal` to dockerode, so interrupting a fiber aborts the HTTP request to the engine
 * instead of leaving it running. The engine's status code decides the outcome: 404 "absent", 304 "already"
 * (started/stopped), 409 "conflict" (exists / in use); anything else — including transport failures, which carry no
 * status — is a fault. These errors never leave the adapter: `DockerProvisioner` translates them into core's
 * `ProvisionFailed` at the port.
 */
import type Docker from "dockerode"
import { Data, Effect } from "effect"

/** What an engine answer means for the caller (see the module doc). */
export type DockerErrorKind = "absent" | "already" | "conflict" | "fault"

/** An engine answer other than success, or a transport failure (no status). */
export class DockerError extends Data.TaggedError("DockerError")<{
  /** What was being done, e.g. `inspect container ws-<id>`. */
  readonly operation: string
  /** The engine's HTTP status; undefined for transport failures (socket refused, aborted, stream errors). */
  readonly status: number | undefined
  /** The engine's own message (its JSON `message`) or the transport error's message. */
  readonly message: string
}> {
  get kind(): DockerErrorKind {
    switch (this.status) {
      case 404:
        return "absent"
      case 304:
        return "already"
      case 409:
        return "conflict"
      default:
        return "fault"
    }
  }

  /** Engine-side (5xx) and transport faults may pass on their own; 4xx answers will not. */
  get retryable(): boolean {
    return this.status === undefined || this.status >= 500
  }
}

/** A command run in a container (exec) ended with a non-zero exit code: the engine did its part, the command did not. */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{
  readonly operation: string
  readonly exitCode: number | null
  /** The command's standard error, trimmed. */
  readonly message: string
}> {}

/** A container holds a name Berth was asked to remove but lacks the managed label: it is not Berth's, so it stays. */
export class NotManaged extends Data.TaggedError("NotManaged")<{
  readonly name: string
  /** The label the container would need, `key=value`. */
  readonly label: string
}> {
  override get message(): string {
    return `container ${this.name} lacks the label ${this.label}: not managed by Berth, left alone`
  }
}

/** An image is neither present locally nor pullable (§8.2 step 6); `cause` is the pull's failure. */
export class ImageUnavailable extends Data.TaggedError("ImageUnavailable")<{
  readonly ref: string
  readonly cause: DockerError
}> {
  override get message(): string {
    return `docker image "${this.ref}" not found after pull attempt — verify the image name and registry access (underlying error: ${this.cause.message})`
  }
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined

/** docker-modem prefixes its messages with `(HTTP code 404) no such image - `; the engine's text follows. */
const modemPrefix = /^\(HTTP code \d+\) [^-]*- /

/** Reads dockerode's error shape: `statusCode`, `json.message`, else the message without docker-modem's prefix. */
export const fromUnknown = (operation: string, error: unknown): DockerError => {
  if (error instanceof DockerError) return error
  const statusCode = field(error, "statusCode")
  const status = typeof statusCode === "number" ? statusCode : undefined
  const engineMessage = field(field(error, "json"), "message")
  const raw = typeof engineMessage === "string" ? engineMessage : error instanceof Error ? error.message : String(error)
  return new DockerError({ operation, status, message: raw.replace(modemPrefix, "").trim() })
}

/** Every dockerode call: the signal aborts the request when the calling fiber is interrupted. */
export const call = <A>(operation: string, f: (signal: AbortSignal) => Promise<A>): Effect.Effect<A, DockerError> =>
  Effect.tryPromise({ try: (signal) => f(signal), catch: (error) => fromUnknown(operation, error) })

/**
 * A raw engine request through docker-modem, for the few calls whose dockerode method drops the abort signal
 * (`Image.inspect`) or whose types omit it (`ping`). Used inside `call`.
 */
export const dial = (docker: Docker, options: Parameters<Docker["modem"]["dial"]>[0]): Promise<unknown> =>
  new Promise((resolve, reject) => docker.modem.dial(options, (error, result) => (error ? reject(error) : resolve(result))))

/** The engine answered 404. */
export const isAbsent = (error: DockerError): boolean => error.kind === "absent"

/** Runs `effect`, turning an "absent" answer into `onAbsent` (e.g. remove of something already gone). */
export const whenAbsent = <A, B, R>(
  effect: Effect.Effect<A, DockerError, R>,
  onAbsent: () => B
): Effect.Effect<A | B, DockerError, R> => Effect.catchIf(effect, isAbsent, () => Effect.sync(onAbsent))
