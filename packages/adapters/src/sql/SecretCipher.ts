/**
 * Secret encryption (§3.3): version 1 = AES-256-GCM, stored as 12-byte nonce ‖ ciphertext ‖ 16-byte tag under
 * `SECRETS_ENCRYPTION_KEY` (32 bytes, base64 or raw); version 0 = plaintext bytes. Writes use the current version,
 * reads follow the stored one. Without a key Berth warns once; in production (`MOLECULE_ENV` `production`/`prod`)
 * it refuses to start, and a key that is set but unusable is always refused.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import type { ConfigError } from "effect"
import { Config, Context, Data, Effect, Layer, Option, Redacted } from "effect"

export class CipherError extends Data.TaggedError("CipherError")<{ readonly message: string }> {}

export interface SecretCipherService {
  /** The version new writes get: 1 with a key, else 0. */
  readonly version: 0 | 1
  readonly encrypt: (plaintext: string) => Effect.Effect<Uint8Array, CipherError>
  readonly decrypt: (stored: Uint8Array, version: number) => Effect.Effect<string, CipherError>
}

export class SecretCipher extends Context.Tag("@berth/adapters/SecretCipher")<SecretCipher, SecretCipherService>() {}

/** A 32-byte key from base64 (preferred) or raw text; undefined when neither gives 32 bytes. */
export const parseKey = (raw: string): Buffer | undefined => {
  const trimmed = raw.trim()
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, "base64")
    if (decoded.length === 32) return decoded
  }
  const bytes = Buffer.from(raw, "utf8")
  return bytes.length === 32 ? bytes : undefined
}

/** The cipher for a key (undefined → version 0, plaintext). */
export const make = (key: Buffer | undefined): SecretCipherService => ({
  version: key === undefined ? 0 : 1,
  encrypt: (plaintext) =>
    Effect.try({
      try: () => {
        if (key === undefined) return new Uint8Array(Buffer.from(plaintext, "utf8"))
        const nonce = randomBytes(12)
        const cipher = createCipheriv("aes-256-gcm", key, nonce)
        const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
        return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]))
      },
      catch: (cause) => new CipherError({ message: String(cause) })
    }),
  decrypt: (stored, version) =>
    Effect.try({
      try: () => {
        const bytes = Buffer.from(stored)
        if (version === 0) return bytes.toString("utf8")
        if (version !== 1) throw new Error(`unknown encryption version ${version}`)
        if (key === undefined) throw new Error("encrypted secret but no SECRETS_ENCRYPTION_KEY")
        if (bytes.length < 28) throw new Error("ciphertext too short")
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12))
        decipher.setAuthTag(bytes.subarray(bytes.length - 16))
        return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString("utf8")
      },
      catch: (cause) => new CipherError({ message: String(cause) })
    })
})

export class MissingEncryptionKey extends Data.TaggedError("MissingEncryptionKey")<{ readonly message: string }> {}

/**
 * Reads `SECRETS_ENCRYPTION_KEY` and `MOLECULE_ENV` once. Unset (or empty): a warning, or in production a refusal to
 * start. Set but unusable: always a refusal — an operator who set a key wants encryption, not plaintext with a warning.
 */
export const layerConfig: Layer.Layer<SecretCipher, MissingEncryptionKey | ConfigError.ConfigError> = Layer.effect(
  SecretCipher,
  Effect.gen(function* () {
    const raw = Option.filter(
      yield* Config.option(Config.redacted("SECRETS_ENCRYPTION_KEY")),
      (r) => Redacted.value(r).trim() !== ""
    )
    const env = (yield* Config.string("MOLECULE_ENV").pipe(Config.withDefault(""))).trim().toLowerCase()
    const key = Option.flatMap(raw, (r) => Option.fromNullable(parseKey(Redacted.value(r))))
    if (Option.isSome(raw) && Option.isNone(key)) {
      return yield* Effect.fail(new MissingEncryptionKey({ message: unusableKey }))
    }
    if (Option.isNone(key)) {
      if (env === "production" || env === "prod") {
        return yield* Effect.fail(new MissingEncryptionKey({ message: "SECRETS_ENCRYPTION_KEY is unset: refusing to start in production" }))
      }
      yield* Effect.logWarning("SECRETS_ENCRYPTION_KEY is unset: secrets are stored unencrypted")
    }
    return make(Option.getOrUndefined(key))
  })
)

/** The start-up refusal for a key that is set but gives no 32 bytes. */
export const unusableKey = "SECRETS_ENCRYPTION_KEY is set but unusable: expected 32 bytes, base64-encoded " +
  "(e.g. `openssl rand -base64 32`) or 32 raw characters; unset it to store secrets unencrypted"

/** A cipher with a fixed key, for tests and tools. */
export const layer = (key: Buffer | undefined): Layer.Layer<SecretCipher> => Layer.succeed(SecretCipher, make(key))
