import { Errors } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { BadRequest } from "../src/wire/Errors.js"
import { mapCoreErrors, onSecretRoute, wireError } from "../src/wire/CoreErrors.js"

// The status comes with each wire class (wire/Errors.ts); this table pins which class and which body.
describe("core errors on the wire: the bodies of the one table", () => {
  it("each maps to the contract's body", () => {
    const cases: ReadonlyArray<readonly [Errors.DatastoreUnavailable | Errors.InvalidInput | Errors.WorkspaceNotFound |
      Errors.WorkspaceRemoved | Errors.SecretNotFound | Errors.SecretWriteFailed | Errors.TokenNotFound |
      Errors.TokenLimitReached | Errors.ActivityCursorNotFound | Errors.ActivitySourceMismatch, string, object]> = [
      [new Errors.DatastoreUnavailable({ message: "down" }), "Unavailable",
        { error: "platform datastore unavailable — retry shortly", code: "platform_unavailable" }],
      [new Errors.InvalidInput({ message: "since_id must be a UUID" }), "BadRequest", { error: "since_id must be a UUID" }],
      [new Errors.WorkspaceNotFound({ id: "x" }), "NotFound", { error: "workspace not found" }],
      [new Errors.WorkspaceRemoved({ id: "x", removedAt: new Date("2026-05-01T10:00:00Z") }), "Gone",
        { error: "workspace removed", id: "x", removed_at: "2026-05-01T10:00:00Z" }],
      [new Errors.SecretNotFound({ key: "K" }), "NotFound", { error: "secret not found" }],
      [new Errors.SecretWriteFailed({ key: "K", operation: "encrypt" }), "Internal", { error: "failed to encrypt secret: K" }],
      [new Errors.TokenNotFound({ tokenId: "t" }), "NotFound", { error: "token not found or already revoked" }],
      [new Errors.TokenLimitReached({ limit: 50 }), "TooManyRequests", { error: "maximum 50 active tokens per workspace" }],
      [new Errors.ActivityCursorNotFound({ sinceId: "s" }), "Gone", {
        error: "since_id cursor not found (row may have been pruned or belongs to a different workspace); omit since_id to reset"
      }],
      [new Errors.ActivitySourceMismatch({ sourceId: "s" }), "Forbidden", { error: "source_id must match authenticated workspace" }]
    ]
    for (const [core, tag, body] of cases) {
      const wire = wireError(core)
      expect(wire._tag).toBe(tag)
      expect(wire).toMatchObject(body)
    }
  })

  it.effect("the secrets routes word a write failure without the key (§5.8)", () =>
    Effect.gen(function* () {
      const failed = Effect.fail(new Errors.SecretWriteFailed({ key: "K", operation: "save" }))
      const wire = yield* Effect.flip(failed.pipe(Effect.catchTags(onSecretRoute), mapCoreErrors))
      expect(wire).toMatchObject({ _tag: "Internal", error: "failed to save secret" })
    }))

  it.effect("errors that are already wire errors pass unchanged", () =>
    Effect.gen(function* () {
      const own = new BadRequest({ error: "key and value are required" })
      expect(yield* Effect.flip(mapCoreErrors(Effect.fail(own)))).toBe(own)
    }))
})
