/**
 * The operator commands' link to a remote Berth: where it is and who we are (read once from the environment), the
 * typed client over that, and the one-line story of every way a call can fail. Every failure is exit 1; a
 * request the command could not even form (a bad id) is exit 2.
 */
import { HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Cause, Config, Console, Effect, Option, Redacted } from "effect"
import { Api } from "../Api.js"
import type { ExitCode } from "./Command.js"

/** Where the server is and the credentials sent to it. */
export interface Remote {
  readonly url: string
  readonly adminToken: Option.Option<Redacted.Redacted>
  readonly orgId: Option.Option<string>
}

const nonEmpty = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((s) => s.trim() !== "")), Config.map(Option.map((s) => s.trim())))

/** `BERTH_URL` (default `http://127.0.0.1:8080`), `ADMIN_TOKEN`, `BERTH_ORG_ID` (else `MOLECULE_ORG_ID`). */
export const fromEnv: Config.Config<Remote> = Config.all({
  url: Config.string("BERTH_URL").pipe(Config.withDefault("http://127.0.0.1:8080"), Config.map((u) => u.replace(/\/+$/, ""))),
  adminToken: Config.map(nonEmpty("ADMIN_TOKEN"), Option.map(Redacted.make)),
  orgId: Config.map(Config.all([nonEmpty("BERTH_ORG_ID"), nonEmpty("MOLECULE_ORG_ID")]), ([a, b]) => Option.orElse(a, () => b))
})

/** The environment variables every remote command reads, for its help. */
export const remoteEnv: ReadonlyArray<readonly [string, string]> = [
  ["BERTH_URL", "the server (default http://127.0.0.1:8080)"],
  ["ADMIN_TOKEN", "the admin bearer token (§4.3)"],
  ["BERTH_ORG_ID", "sent as X-Molecule-Org-Id to a tenant-guarded server (default: MOLECULE_ORG_ID)"]
]

/** Adds the org header, and the bearer: `bearer` when given (an agent's token), else ADMIN_TOKEN. */
export const authorize = (remote: Remote, bearer: Option.Option<string> = Option.none()) =>
  (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
    const token = Option.orElse(bearer, () => Option.map(remote.adminToken, Redacted.value))
    const withToken = Option.match(token, { onNone: () => request, onSome: (t) => HttpClientRequest.bearerToken(request, t) })
    return Option.match(remote.orgId, {
      onNone: () => withToken,
      onSome: (id) => HttpClientRequest.setHeader(withToken, "x-molecule-org-id", id)
    })
  }

/** The typed client of the remote server, authenticated as `authorize` says. */
export const client = (remote: Remote, bearer: Option.Option<string> = Option.none()) =>
  HttpApiClient.make(Api, { baseUrl: remote.url, transformClient: HttpClient.mapRequest(authorize(remote, bearer)) })

const hints: Readonly<Record<string, string>> = {
  Unauthorized: "check ADMIN_TOKEN (or the agent's --token)",
  Forbidden: "check BERTH_ORG_ID",
  ConfirmationRequired: "pass --confirm to delete the children too",
  TooManyRequests: "retry later"
}

const field = (e: object, key: string): string | undefined => {
  const value = (e as Readonly<Record<string, unknown>>)[key]
  return typeof value === "string" ? value : undefined
}

/** One line saying what went wrong in a call to `remote`, with what to do when there is something to do. */
export const describe = (remote: Remote, error: unknown): string => {
  if (typeof error !== "object" || error === null) return String(error)
  const tag = field(error, "_tag") ?? ""
  if (tag === "RequestError") {
    return `cannot reach Berth at ${remote.url} (${field(error, "reason") ?? "transport"} error): is it running? set BERTH_URL`
  }
  if (tag === "ResponseError") {
    const response = (error as { readonly response?: { readonly status?: number } }).response
    const request = (error as { readonly request?: { readonly method?: string; readonly url?: string } }).request
    return `the server answered ${response?.status ?? "?"} to ${request?.method ?? ""} ${request?.url ?? ""}: is BERTH_URL a Berth server?`
  }
  if (tag === "ParseError") return `the server's answer is not what this CLI expects (is it another version?)`
  const message = field(error, "error") ?? field(error, "message") ?? tag
  const code = field(error, "code")
  const hint = hints[tag]
  return `${message}${code === undefined ? "" : ` (${code})`}${hint === undefined ? "" : `: ${hint}`}`
}

/**
 * Runs one remote operation: on success `done` prints and the exit code is 0; any failure or defect is one line
 * `<command>: <what went wrong>` on stderr and exit 1.
 */
export const call = <A, E, R>(
  path: string,
  operation: (remote: Remote) => Effect.Effect<A, E, R>,
  done: (a: A) => Effect.Effect<void>
): Effect.Effect<ExitCode, never, R> =>
  Effect.gen(function* () {
    const remote = yield* fromEnv.pipe(Effect.orDie)
    return yield* operation(remote).pipe(
      Effect.flatMap(done),
      Effect.as<ExitCode>(0),
      Effect.catchAllCause((cause) => {
        const failure = Cause.failureOption(cause)
        const line = Option.isSome(failure) ? describe(remote, failure.value) : Cause.pretty(cause).split("\n")[0] ?? "failed"
        return Effect.as(Console.error(`${path}: ${line}`), 1 as const)
      })
    )
  })
