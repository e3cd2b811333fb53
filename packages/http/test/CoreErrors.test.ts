/** The core → wire error table: each core error becomes the contract's wire error; unknown tags pass through. */
import { describe, expect, it } from "@effect/vitest"
import { Errors, WorkspaceId } from "@berth/core"
import { Data } from "effect"
import { wireError } from "../src/wire/CoreErrors.js"
import { BadRequest, ConfirmationRequired, Gone, Internal, NotFound, StopFailed, Unavailable } from "../src/wire/Errors.js"

const id = WorkspaceId.unsafeMake("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b")

describe("CoreErrors", () => {
  it("maps each core error to its wire error", () => {
    expect(wireError(new Errors.InvalidInput({ message: "invalid tier" }))).toEqual(new BadRequest({ error: "invalid tier" }))
    expect(wireError(new Errors.WorkspaceNotFound({ id }))).toEqual(new NotFound({ error: "workspace not found" }))
    expect(wireError(new Errors.WorkspaceRemoved({ id, removedAt: new Date("2026-05-01T10:00:00Z") }))).toEqual(new Gone({
      error: "workspace removed", id, removed_at: "2026-05-01T10:00:00Z",
      hint: "Regenerate workspace + token from the canvas → Tokens tab"
    }))
    expect(wireError(new Errors.DatastoreUnavailable({ message: "down" }))).toEqual(new Unavailable({
      error: "platform datastore unavailable — retry shortly", code: "platform_unavailable"
    }))
    expect(wireError(new Errors.SubtreeNeedsConfirmation({ children: [{ id, name: "c" }] }))).toEqual(new ConfirmationRequired({
      status: "confirmation_required",
      message: "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.",
      children: [{ id, name: "c" }],
      children_count: 1
    }))
    expect(wireError(new Errors.WorkloadStopsFailed({ removedCount: 2, failures: [`${id}: stop failed`] }))).toEqual(new StopFailed({
      error: `workspace marked removed, but 1 stop call(s) failed — please retry: ${id}: stop failed`,
      removed_count: 2,
      stop_failures: 1
    }))
    expect(wireError(new Errors.WorkspaceSettingWriteFailed({ setting: "provider", operation: "clear" })))
      .toEqual(new Internal({ error: "failed to clear provider" }))
    expect(wireError(new Errors.SecretWriteFailed({ key: "K", operation: "encrypt" })))
      .toEqual(new Internal({ error: "failed to encrypt secret: K" }))
  })

  it("leaves errors it does not know alone", () => {
    class Other extends Data.TaggedError("Other")<{}> {}
    const other = new Other()
    expect(wireError(other)).toBe(other)
  })
})
