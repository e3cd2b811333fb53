/**
 * How bearer secrets are minted and kept (§3.2, §9.3), once for every store that handles them: 32 random bytes,
 * base64url without padding (43 characters); of a token only its SHA-256 (hex here, bytea in the database) and its
 * 8-character prefix are stored, and a stored hash is compared with a presented one in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

/** A fresh secret: 32 random bytes, base64url without padding. Tokens and platform inbound secrets alike. */
export const randomSecret = (): string => randomBytes(32).toString("base64url")

/** The hex SHA-256 of a presented token, as lookups bind it (`decode(hash, 'hex')`). */
export const sha256Hex = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex")

/** Constant-time equality of two hex digests of equal length. */
export const sameHash = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "hex")
  const y = Buffer.from(b, "hex")
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A new token with what is stored of it: its hash and its prefix. */
export interface MintedToken {
  readonly token: string
  readonly hash: string
  readonly prefix: string
}

export const mintToken = (): MintedToken => {
  const token = randomSecret()
  return { token, hash: sha256Hex(token), prefix: token.slice(0, 8) }
}
