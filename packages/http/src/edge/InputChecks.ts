/**
 * Input no route may store, refused at the edge before any handler (issue 15), each a 400 with a `detail`:
 * - U+0000: Postgres cannot store it in text, so a NUL that reached a query answered 5xx (even the 503 that tells
 *   operators the database is down). The decoded path and query, and every string (keys too) of a JSON body. Header
 *   values cannot hold it (Node refuses them before Berth sees them).
 * - a body field over its maximum (`wire/Limits.ts`).
 */
import type { HttpServerRequest } from "@effect/platform"
import { HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"
import { overLimit } from "../wire/Limits.js"

const nul = "\u0000"

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "))
  } catch {
    return text
  }
}

/** The first string of a JSON value holding U+0000, as a dotted path (`""` for the value itself). */
export const nulPath = (value: unknown, at: string = ""): Option.Option<string> => {
  if (typeof value === "string") return value.includes(nul) ? Option.some(at) : Option.none()
  if (value === null || typeof value !== "object") return Option.none()
  for (const [key, inner] of Object.entries(value)) {
    const here = at === "" ? key : `${at}.${key}`
    if (key.includes(nul)) return Option.some(here)
    const found = nulPath(inner, here)
    if (Option.isSome(found)) return found
  }
  return Option.none()
}

const refused = (error: string, detail: string) => HttpServerResponse.unsafeJson({ error, detail }, { status: 400 })

/** The 400 for a path or query parameter carrying U+0000, if one does (synchronous: every request pays for it). */
export const checkUrl = (request: HttpServerRequest.HttpServerRequest): Option.Option<HttpServerResponse.HttpServerResponse> => {
  const q = request.url.indexOf("?")
  const path = q === -1 ? request.url : request.url.slice(0, q)
  // Only an escape can decode to U+0000 besides U+0000 itself: most paths skip the decoding.
  if ((path.includes("%") ? safeDecode(path) : path).includes(nul)) return Option.some(refused("invalid request path", "the path contains U+0000"))
  if (q !== -1) {
    for (const [name, value] of new URLSearchParams(request.url.slice(q + 1))) {
      if (name.includes(nul) || value.includes(nul)) {
        return Option.some(refused(`invalid ${name.replace(/\u0000/g, "")} parameter`, `query parameter ${JSON.stringify(name)} contains U+0000`))
      }
    }
  }
  return Option.none()
}

/** Methods whose body no route reads. */
export const hasNoBody = (request: HttpServerRequest.HttpServerRequest): boolean =>
  request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS"

/**
 * The 400 for a JSON body carrying U+0000 or an overlong field, if it does; `route` is `"<METHOD> <template>"`,
 * `bodyMessage` the route's message for a bad body.
 */
export const checkBody = (request: HttpServerRequest.HttpServerRequest, route: string, bodyMessage: string) =>
  Effect.map(Effect.option(request.text), (text) => {
    // The body is read once and cached on this request object; the app is handed the same object.
    if (Option.isNone(text) || text.value === "") return Option.none<HttpServerResponse.HttpServerResponse>()
    // Not JSON: the route's decoder answers it.
    const parsed = Option.liftThrowable(JSON.parse)(text.value) as Option.Option<unknown>
    if (Option.isNone(parsed)) return Option.none()
    const nulAt = text.value.includes("\\u0000") ? nulPath(parsed.value) : Option.none()
    if (Option.isSome(nulAt)) return Option.some(refused(bodyMessage, `field ${nulAt.value === "" ? "(body)" : nulAt.value} contains U+0000`))
    const long = overLimit(route, parsed.value)
    return long === undefined ? Option.none() : Option.some(refused(long.error, long.detail))
  })
