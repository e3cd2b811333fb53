/**
 * Activity list query parameters (contract §5.10) and the allowed activity types (§3.4).
 */
import { Effect } from "effect"
import { InvalidInput } from "./Errors.js"
import { isUuid } from "./Uuid.js"

/** activity_type values accepted on write (§3.4), in contract order. */
export const ACTIVITY_TYPES = [
  "a2a_send", "a2a_receive", "task_update", "agent_log", "skill_promotion", "memory_write", "error"
] as const

/** One allowed activity type. */
export type ActivityType = (typeof ACTIVITY_TYPES)[number]

/** The POST error message for a missing or unknown activity_type. */
export const invalidActivityTypeMessage = `invalid activity_type, must be one of: ${ACTIVITY_TYPES.join(", ")}`

/** Validate a POSTed activity_type. */
export const parseActivityType = (raw: unknown): Effect.Effect<ActivityType, InvalidInput> =>
  typeof raw === "string" && (ACTIVITY_TYPES as ReadonlyArray<string>).includes(raw)
    ? Effect.succeed(raw as ActivityType)
    : Effect.fail(new InvalidInput({ message: invalidActivityTypeMessage }))

/** Default and maximum page size. */
export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 500
/** since_secs cap: 30 days. */
export const MAX_SINCE_SECS = 2_592_000

/** The typed GET filter; absent fields do not filter. */
export interface ActivityFilter {
  readonly type: string | undefined
  readonly source: "canvas" | "agent" | undefined
  readonly peerId: string | undefined
  readonly beforeTs: Date | undefined
  readonly sinceSecs: number | undefined
  readonly sinceId: string | undefined
  readonly limit: number
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/

/** Strict RFC 3339 with a zone (fractions allowed); undefined when malformed or out of range. */
export const parseRfc3339 = (raw: string): Date | undefined => {
  const m = RFC3339.exec(raw)
  if (m === null) return undefined
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined
  // Reject impossible days (Feb 30) that Date would silently roll over.
  if (d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined
  const date = new Date(raw)
  return Number.isNaN(date.getTime()) ? undefined : date
}

const fail = (message: string) => Effect.fail(new InvalidInput({ message }))
const present = (v: string | undefined): v is string => v !== undefined && v !== ""

/** Parse raw query values into a filter, failing with the contract's message for the first bad one. */
export const parse = (q: Readonly<Record<string, string | undefined>>): Effect.Effect<ActivityFilter, InvalidInput> =>
  Effect.gen(function* () {
    const source = q["source"]
    if (present(source) && source !== "canvas" && source !== "agent") {
      return yield* fail("source must be 'canvas' or 'agent'")
    }
    const peerId = q["peer_id"]
    if (present(peerId) && !isUuid(peerId)) return yield* fail("peer_id must be a UUID")
    const beforeRaw = q["before_ts"]
    const beforeTs = present(beforeRaw) ? parseRfc3339(beforeRaw) : undefined
    if (present(beforeRaw) && beforeTs === undefined) {
      return yield* fail("before_ts must be an RFC3339 timestamp (e.g. 2026-05-01T00:00:00Z)")
    }
    const sinceRaw = q["since_secs"]
    let sinceSecs: number | undefined
    if (present(sinceRaw)) {
      const n = /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : NaN
      if (!(n > 0)) return yield* fail("since_secs must be a positive integer")
      sinceSecs = Math.min(n, MAX_SINCE_SECS)
    }
    const sinceId = q["since_id"]
    if (present(sinceId) && !isUuid(sinceId)) return yield* fail("since_id must be a UUID")
    const limitRaw = q["limit"]
    const n = present(limitRaw) && /^\d+$/.test(limitRaw) ? Number(limitRaw) : 0
    const limit = n > 0 ? Math.min(n, MAX_LIMIT) : DEFAULT_LIMIT
    return {
      type: present(q["type"]) ? q["type"] : undefined,
      source: present(source) ? source : undefined,
      peerId: present(peerId) ? peerId.toLowerCase() : undefined,
      beforeTs,
      sinceSecs,
      sinceId: present(sinceId) ? sinceId.toLowerCase() : undefined,
      limit
    }
  })
