/**
 * What a request presents to the guards (§4): its bearer, the same-origin canvas rule, constant-time comparison.
 * Cookies never authenticate (§4.3): only `Authorization: Bearer …` is read.
 */
import { Option, Redacted } from "effect"

/** Lower-cased header names (what `HttpServerRequest.headers` holds; plain records in tests). */
export type RequestHeaders = Readonly<Record<string, string | undefined>>
import { createHash, timingSafeEqual } from "node:crypto"

/** The bearer token of `Authorization: Bearer <token>`; none when absent or empty. */
export const bearer = (headers: RequestHeaders): Option.Option<string> => {
  const value = headers["authorization"]
  if (value === undefined) return Option.none()
  const match = /^bearer\s+(.+)$/i.exec(value.trim())
  return match === null ? Option.none() : Option.some(match[1]!.trim())
}

/** Equality that takes the same time wherever the strings differ (hashing first equalises the lengths). */
export const constantTimeEqual = (a: string, b: string): boolean =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest()) && a.length === b.length

/** The bearer equals `ADMIN_TOKEN` (set). */
export const isAdminToken = (adminToken: Option.Option<Redacted.Redacted>, token: string): boolean =>
  Option.match(adminToken, { onNone: () => false, onSome: (admin) => constantTimeEqual(Redacted.value(admin), token) })

/**
 * §4.1 same-origin canvas rule (only when `CANVAS_PROXY_URL` is set): a non-empty Host and a Referer under
 * `http(s)://<host>/` (or equal to it without the slash), or an Origin equal to `http(s)://<host>`.
 */
export const sameOriginCanvas = (canvasProxy: boolean, headers: RequestHeaders): boolean => {
  if (!canvasProxy) return false
  const host = headers["host"] ?? ""
  if (host === "") return false
  const bases = [`https://${host}`, `http://${host}`]
  const referer = headers["referer"]
  if (referer !== undefined && bases.some((b) => referer === b || referer.startsWith(`${b}/`))) return true
  const origin = headers["origin"]
  return origin !== undefined && bases.includes(origin)
}
