/**
 * What the A2A proxy does to the bytes it forwards and reads back (§5.13): a body must be a JSON object naming its
 * `method` (with `jsonrpc` "2.0" when given, and `params` an object or an array); one without a
 * `jsonrpc` member is wrapped in a JSON-RPC 2.0 envelope (its `method` and `params` kept, a fresh `id`); a
 * `params.message` without `messageId` gets one (the a2a SDK requires it). From an answer it reads the error message
 * of a failing agent and the `result.metadata.tool_trace` an activity row keeps.
 */
import { Effect, Option } from "effect"
import { InvalidInput } from "../domain/Errors.js"
import { randomV4 } from "../domain/Uuid.js"

/** The envelope to forward and the JSON-RPC method it calls. */
export interface Envelope {
  readonly body: string
  readonly method: string
  /** The parsed envelope, stored as the activity rows' `request_body`. */
  readonly json: unknown
}

type JsonObject = Record<string, unknown>
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)

const parse = (text: string): Option.Option<unknown> => {
  try {
    return Option.some(JSON.parse(text) as unknown)
  } catch {
    return Option.none()
  }
}

const invalidJson = new InvalidInput({ message: "invalid JSON" })
const invalidRpc = (why: string) => Effect.fail(new InvalidInput({ message: `invalid JSON-RPC request: ${why}` }))

/** Parses and normalises a request body; anything but a JSON object fails `InvalidInput("invalid JSON")`, a bad envelope `invalid JSON-RPC request: …`. */
export const normalize = (text: string): Effect.Effect<Envelope, InvalidInput> =>
  Effect.gen(function* () {
    const parsed = parse(text)
    if (Option.isNone(parsed) || !isObject(parsed.value)) return yield* Effect.fail(invalidJson)
    const given = parsed.value
    // Stricter than upstream, which forwards any object: an agent could only answer these with a JSON-RPC error.
    if (typeof given["method"] !== "string" || given["method"] === "") return yield* invalidRpc("method must be a non-empty string")
    if (Object.hasOwn(given, "jsonrpc") && given["jsonrpc"] !== "2.0") return yield* invalidRpc("jsonrpc must be \"2.0\"")
    const params = given["params"]
    if (params !== undefined && params !== null && typeof params !== "object") return yield* invalidRpc("params must be an object or an array")
    const envelope: JsonObject = Object.hasOwn(given, "jsonrpc")
      ? { ...given }
      : { jsonrpc: "2.0", id: yield* randomV4, method: given["method"] ?? null, params: given["params"] ?? null }
    const message = isObject(params) ? params["message"] : undefined
    if (isObject(params) && isObject(message) && !Object.hasOwn(message, "messageId")) {
      envelope["params"] = { ...params, message: { ...message, messageId: yield* randomV4 } }
    }
    return { body: JSON.stringify(envelope), method: given["method"], json: envelope }
  })

/** An answer's body as JSON for the activity rows; a body that is not JSON is kept as its text. */
export const answerJson = (text: string): unknown => (text === "" ? null : Option.getOrElse(parse(text), () => text))

/** A failing agent's own message: the string `error` member of its JSON body, if any. */
export const agentErrorMessage = (text: string): Option.Option<string> =>
  Option.flatMap(parse(text), (v) => (isObject(v) && typeof v["error"] === "string" && v["error"] !== "" ? Option.some(v["error"]) : Option.none()))

/** `result.metadata.tool_trace` of a JSON-RPC answer, or null. */
export const toolTrace = (answer: unknown): unknown => {
  const result = isObject(answer) ? answer["result"] : undefined
  const metadata = isObject(result) ? result["metadata"] : undefined
  const trace = isObject(metadata) ? metadata["tool_trace"] : undefined
  return trace === undefined ? null : trace
}
