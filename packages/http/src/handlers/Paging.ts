/**
 * Opt-in cursor pagination of `GET /workspaces` and `GET …/activity` (a Berth addition). Paging is on when the query
 * carries `cursor` (empty for the first page); then the body is still the bare JSON array, one page of it, and the
 * cursor of the next page travels in the `X-Next-Cursor` response header (absent on the last page). Clients that
 * read the body as an array — every upstream client — are not disturbed, and without `cursor` the answer is exactly
 * the unpaged one.
 */
import { HttpApp, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { BadRequest } from "../wire/Errors.js"

/** The response header carrying the next page's cursor. */
export const NEXT_CURSOR_HEADER = "x-next-cursor"

/** Default and largest page of `GET /workspaces` (the activity list keeps its own `limit` rules, §5.10). */
export const DEFAULT_PAGE = 100
export const MAX_PAGE = 500

/** The cursor to start after, when paging was asked for: `null` for the first page. */
export const requested = (cursor: string | undefined): { readonly after: string | null } | undefined =>
  cursor === undefined ? undefined : { after: cursor === "" ? null : cursor }

/** `limit` of a workspace page: a positive integer capped at 500, else 100. */
export const pageSize = (raw: string | undefined): number => {
  const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0
  return n > 0 ? Math.min(n, MAX_PAGE) : DEFAULT_PAGE
}

/** Sets `X-Next-Cursor` on this request's response when there is a next page. */
export const announceNext = (next: string | null): Effect.Effect<void> =>
  next === null
    ? Effect.void
    : HttpApp.appendPreResponseHandler((_, response) =>
      Effect.succeed(HttpServerResponse.setHeader(response, NEXT_CURSOR_HEADER, next)))

/** A cursor the server did not hand out: `400 {"error":"invalid cursor"}`. */
export const badCursor = (e: { readonly message: string }) => new BadRequest({ error: e.message })
