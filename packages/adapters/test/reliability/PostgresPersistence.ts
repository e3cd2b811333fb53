/** Persistence over a fresh database of the test Postgres server, for the reliability suites. */
import { Layer, Redacted } from "effect"
import type { PersistenceOptions } from "../../src/sql/Persistence.js"
import { layerFor } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"

/** Every persistence service on the database at `url` (pools of its own: two calls are two replicas). */
export const postgresPersistence = (url: string, options: PersistenceOptions = {}) =>
  layerFor({ _tag: "Postgres", url: Redacted.make(url) }, options).pipe(Layer.provide(SecretCipher.layer(Buffer.alloc(32, 5))))
