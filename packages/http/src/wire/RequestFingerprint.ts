/**
 * The fingerprint an `Idempotency-Key` binds to: SHA-256 of the decoded body as canonical JSON, so two bodies that
 * differ only in key order are the same request.
 */
import { createHash } from "node:crypto"

/** JSON with object keys sorted at every level. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

export const fingerprint = (body: unknown): string => createHash("sha256").update(canonicalJson(body)).digest("hex")
