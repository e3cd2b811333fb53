import { Effect, Random } from "effect"

/** UUID shape (any case), for the ids the contract checks before they reach a uuid column (§5.10, §5.12). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** True when `raw` is 8-4-4-4-12 hex digits. */
export const isUuid = (raw: string): boolean => UUID.test(raw)

/** A random UUID v4 from Effect's `Random` (so a test can seed it). */
export const randomV4: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 16 }, () => Random.nextIntBetween(0, 256))),
  (bytes) => {
    bytes[6] = (bytes[6]! & 0x0f) | 0x40
    bytes[8] = (bytes[8]! & 0x3f) | 0x80
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("")
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
)
