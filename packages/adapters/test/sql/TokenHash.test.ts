/** Minting and hashing of bearer secrets (§3.2): one module for every store, checked without a database. */
import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { mintToken, randomSecret, sameHash, sha256Hex } from "../../src/sql/TokenHash.js"

describe("TokenHash", () => {
  it("a minted token is 43 base64url characters; its hash is the SHA-256 and its prefix the first 8", () => {
    const minted = mintToken()
    expect(minted.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(minted.hash).toBe(createHash("sha256").update(minted.token, "utf8").digest("hex"))
    expect(minted.prefix).toBe(minted.token.slice(0, 8))
    expect(mintToken().token).not.toBe(minted.token)
  })

  it("a secret is 32 random bytes in base64url, as tokens are", () => {
    expect(Buffer.from(randomSecret(), "base64url")).toHaveLength(32)
  })

  it("hashes compare by value, and digests of different lengths never match", () => {
    const hash = sha256Hex("token")
    expect(sameHash(hash, sha256Hex("token"))).toBe(true)
    expect(sameHash(hash, sha256Hex("other"))).toBe(false)
    expect(sameHash(hash, hash.slice(0, 32))).toBe(false)
  })
})
