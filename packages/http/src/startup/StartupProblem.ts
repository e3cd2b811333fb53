/**
 * Start-up failures told as one line naming the setting and the fix (issue 17 points 3–4), the same text in the
 * pretty and JSON log formats: the line is the log message, not a cause the JSON logger would print as `[]`.
 */
import { Cause, ConfigError, Data, Effect, Option, Predicate } from "effect"

/** What an operator needs to act: which setting, what is wrong with it, what to do. */
export interface SettingProblem {
  readonly setting: string
  readonly problem: string
  readonly fix: string
}

/** The listener could not bind `PORT`. */
export class ListenFailed extends Data.TaggedError("ListenFailed")<SettingProblem> {}

export const line = (p: SettingProblem): string => `cannot start: ${p.setting} ${p.problem}; ${p.fix}`

const codeOf = (u: unknown): string | undefined =>
  Predicate.hasProperty(u, "code") && typeof u.code === "string" ? u.code : undefined

/** A failed listen (the platform's `ServeError`, Node's error as its cause) as the `PORT` problem it is. */
export const listenFailed = (port: number, error: { readonly cause?: unknown }): ListenFailed => {
  const code = codeOf(error.cause)
  const problem = code === "EADDRINUSE"
    ? `${port} is already in use`
    : code === "EACCES"
    ? `${port} needs privileges this process does not have`
    : `${port} could not be listened on (${code ?? String(error.cause)})`
  return new ListenFailed({ setting: "PORT", problem, fix: "set PORT to a free port, or stop the process holding it" })
}

const isSettingProblem = (u: unknown): u is SettingProblem =>
  Predicate.hasProperty(u, "setting") && Predicate.hasProperty(u, "problem") && Predicate.hasProperty(u, "fix") &&
  typeof u.setting === "string" && typeof u.problem === "string" && typeof u.fix === "string"

/**
 * Start-up errors whose own text already is one operator-facing line: a refused encryption key, a database whose
 * status enum drifted, a failed or timed-out migration, an event bus that could not LISTEN.
 */
const oneLineTags = ["MissingEncryptionKey", "StatusEnumDrift", "MigrationError", "MigrationsTimedOut", "EventBusNotListening"]

const oneLineOf = (u: unknown): Option.Option<string> =>
  oneLineTags.some((tag) => Predicate.isTagged(u, tag)) && Predicate.hasProperty(u, "message") &&
    typeof u.message === "string"
    ? Option.some(u.message.replaceAll("\n", " "))
    : ConfigError.isConfigError(u)
    ? Option.some(String(u).replaceAll("\n", " "))
    : Option.none()

/** The one line for a failure, when it is a known start-up problem. */
export const lineOf = (cause: Cause.Cause<unknown>): Option.Option<string> =>
  Option.flatMap(Cause.failureOption(cause), (error) =>
    isSettingProblem(error)
      ? Option.some(line(error))
      : Option.map(oneLineOf(error), (text) => `cannot start: ${text}`))

/**
 * Logs how a command ended when it failed: the one line of a known start-up problem, else the cause under a
 * message. An interruption (SIGINT, SIGTERM) is a normal stop and logs nothing.
 */
export const reported = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.tapErrorCause(program, (cause) =>
    Cause.isInterruptedOnly(cause)
      ? Effect.void
      : Option.match(lineOf(cause), {
        onSome: (text) => Effect.logError(text),
        onNone: () => Effect.logError("berth stopped on an error", cause)
      }))
