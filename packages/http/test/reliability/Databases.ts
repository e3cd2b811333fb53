/** Persistence over a fresh Postgres database for the HTTP reliability suites. */
import { Persistence, SecretCipher } from "@berth/adapters"
import { Layer, Redacted } from "effect"

/** Every persistence service on the database at `url`; each call has pools of its own (two calls: two replicas). */
export const postgres = (url: string, options: Persistence.PersistenceOptions = {}) =>
  Persistence.layerFor({ _tag: "Postgres", url: Redacted.make(url) }, options).pipe(Layer.provide(SecretCipher.layer(undefined)))
