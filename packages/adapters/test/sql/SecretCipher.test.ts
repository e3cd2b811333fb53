import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Either, Layer } from "effect"
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

  describe("layerConfig (issue 17 point 2)", () => {
    const start = (env: Record<string, string>) =>
      Layer.build(SecretCipher.layerConfig).pipe(
        Effect.scoped,
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        Effect.either
      )

    it.effect("a key that is set but unusable refuses to start, naming the variable and the expected form", () =>
      Effect.gen(function* () {
        for (const bad of ["short", "not base64 and not 32 characters!!", Buffer.alloc(16).toString("base64")]) {
          const result = yield* start({ SECRETS_ENCRYPTION_KEY: bad })
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(result.left).toBeInstanceOf(SecretCipher.MissingEncryptionKey)
            expect(result.left.message).toMatch(/^SECRETS_ENCRYPTION_KEY is set but unusable: expected 32 bytes, base64/)
          }
        }
      }))

    it.effect("unset or empty starts (with a warning) outside production; a valid key starts encrypting", () =>
      Effect.gen(function* () {
        expect(Either.isRight(yield* start({}))).toBe(true)
        expect(Either.isRight(yield* start({ SECRETS_ENCRYPTION_KEY: "" }))).toBe(true)
        expect(Either.isLeft(yield* start({ MOLECULE_ENV: "production" }))).toBe(true)
        const ok = yield* Layer.build(SecretCipher.layerConfig).pipe(
          Effect.map((context) => Context.get(context, SecretCipher.SecretCipher).version),
          Effect.scoped,
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["SECRETS_ENCRYPTION_KEY", key.toString("base64")]])))
        )
        expect(ok).toBe(1) // version 1 = AES-256-GCM
      }))
  })
})
