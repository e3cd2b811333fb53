/**
 * U+0000 is refused at the edge (issue 15): Postgres cannot store it in text, so a NUL that reached a query answered
 * 5xx (even the 503 that tells operators the database is down). One check for every route: the decoded path and query,
 * and every string (keys too) of a JSON body. Header values cannot hold it (Node refuses them before Berth sees them).
 */
import type { HttpServerRequest } from "@effect/platform"
import { HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"

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

/** The 400 for a request carrying U+0000, if it does; `bodyMessage` is the route's message for a bad body. */
export const check = (request: HttpServerRequest.HttpServerRequest, bodyMessage: string) =>
  Effect.gen(function* () {
    const q = request.url.indexOf("?")
    const path = q === -1 ? request.url : request.url.slice(0, q)
    if (safeDecode(path).includes(nul)) return Option.some(refused("invalid request path", "the path contains U+0000"))
    if (q !== -1) {
      for (const [name, value] of new URLSearchParams(request.url.slice(q + 1))) {
        if (name.includes(nul) || value.includes(nul)) {
          return Option.some(refused(`invalid ${name.replace(/\u0000/g, "")} parameter`, `query parameter ${JSON.stringify(name)} contains U+0000`))
        }
      }
    }
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return Option.none()
    // The body is read once and cached on this request object; the app is handed the same object.
    const text = yield* Effect.option(request.text)
    if (Option.isNone(text) || !text.value.includes("\\u0000")) return Option.none()
    const parsed = Option.liftThrowable(JSON.parse)(text.value) as Option.Option<unknown>
    const found = Option.flatMap(parsed, (v) => nulPath(v))
    return Option.map(found, (field) => refused(bodyMessage, `field ${field === "" ? "(body)" : field} contains U+0000`))
  })
