import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as SecretCipher from "../../src/sql/SecretCipher.js"

describe("SecretCipher", () => {
  const key = Buffer.alloc(32, 3)

  it("parses a 32-byte key given as base64 or raw text, refuses other lengths", () => {
    expect(SecretCipher.parseKey(key.toString("base64"))?.equals(key)).toBe(true)
    expect(SecretCipher.parseKey("k".repeat(32))?.equals(Buffer.from("k".repeat(32)))).toBe(true)
    expect(SecretCipher.parseKey("short")).toBeUndefined()
    expect(SecretCipher.parseKey(Buffer.alloc(16).toString("base64"))).toBeUndefined()
  })

  it.effect("version 1: nonce-prefixed AES-256-GCM that round-trips and never shows the plaintext", () =>
    Effect.gen(function* () {
      const cipher = SecretCipher.make(key)
      expect(cipher.version).toBe(1)
      const a = yield* cipher.encrypt("hunter2")
      const b = yield* cipher.encrypt("hunter2")
      expect(a.length).toBe(12 + 7 + 16)
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false) // fresh nonce each time
      expect(Buffer.from(a).toString("utf8")).not.toContain("hunter2")
      expect(yield* cipher.decrypt(a, 1)).toBe("hunter2")
    }))

  it.effect("reads follow the stored version; a wrong key or tampered bytes fail", () =>
    Effect.gen(function* () {
      const plain = SecretCipher.make(undefined)
      expect(plain.version).toBe(0)
      const stored0 = yield* plain.encrypt("visible")
      expect(yield* SecretCipher.make(key).decrypt(stored0, 0)).toBe("visible")
      const stored1 = yield* SecretCipher.make(key).encrypt("x")
      expect(Either.isLeft(yield* Effect.either(SecretCipher.make(Buffer.alloc(32, 4)).decrypt(stored1, 1)))).toBe(true)
      expect(Either.isLeft(yield* Effect.either(plain.decrypt(stored1, 1)))).toBe(true)
      const tampered = Uint8Array.from(stored1)
      tampered[12] = (tampered[12] ?? 0) ^ 1
      expect(Either.isLeft(yield* Effect.either(SecretCipher.make(key).decrypt(tampered, 1)))).toBe(true)
    }))
})
