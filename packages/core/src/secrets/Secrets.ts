/**
 * Workspace and global secrets (§5.8). Workspace writes go through `SecretWrites.write` like create's and the model
 * routes'. Every change asks for an auto-restart of the workspaces whose environment it changes, so the workload
 * picks the new value up: the workspace itself, or for a global key every workspace that uses it
 * (non-removed, non-paused, non-external, no workspace override).
 */
import type { Option } from "effect"
import { Effect } from "effect"
import { AutoRestart } from "../lifecycle/AutoRestart.js"
import { InvalidInput, SecretNotFound } from "../domain/Errors.js"
import { SecretRepository } from "../ports/SecretRepository.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import { admitStrictly } from "../registry/TokenGate.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import * as SecretWrites from "./SecretWrites.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import { requireLive } from "../workspaces/LiveWorkspace.js"

/** The §5.8 message when a write lacks its key or value (both are required, empty counts as missing). */
export const keyAndValueRequiredMessage = "key and value are required"

const requireKeyAndValue = (key: string, value: string): Effect.Effect<void, InvalidInput> =>
  key === "" || value === "" ? Effect.fail(new InvalidInput({ message: keyAndValueRequiredMessage })) : Effect.void

export class Secrets extends Effect.Service<Secrets>()("@berth/core/Secrets", {
  effect: Effect.gen(function* () {
    const secrets = yield* SecretRepository
    const store = yield* WorkspaceStore
    const autoRestart = yield* AutoRestart
    const tokens = yield* TokenRepository

    /** `GET …/secrets`: workspace keys, then global keys it does not override; never values. */
    const listForWorkspace = Effect.fn("Secrets.listForWorkspace")(function* (id: WorkspaceId) {
      yield* requireLive(store, id)
      return yield* secrets.listForWorkspace(id)
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /**
     * `GET …/secrets/values` (§5.8): every secret the workspace's environment gets — globals, overridden by its own —
     * decrypted. A workspace holding a live token must present that token (an admin or org token is not enough), and a
     * failing token lookup refuses (fail closed). One value that does not decrypt fails the whole call
     * `SecretDecryptFailed`: never a partial bundle.
     */
    const values = Effect.fn("Secrets.values")(function* (id: WorkspaceId, bearer: Option.Option<string>) {
      yield* requireLive(store, id)
      yield* admitStrictly(tokens, id, bearer)
      return yield* secrets.loadForProvision(id).pipe(
        Effect.tapErrorTag("SecretDecryptFailed", (e) => Effect.logError("secret values: decrypt failed; refusing the bundle", e))
      )
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** Upserts a workspace secret; fails `InvalidInput`, `WorkspaceNotFound`/`Removed`, `SecretWriteFailed`. */
    const saveForWorkspace = Effect.fn("Secrets.saveForWorkspace")(function* (id: WorkspaceId, key: string, value: string) {
      yield* requireKeyAndValue(key, value)
      yield* requireLive(store, id)
      yield* SecretWrites.write(secrets, id, key, value).pipe(
        Effect.tapErrorTag("SecretWriteFailed", (e) => Effect.logError("secret write failed", e))
      )
      yield* autoRestart.request(id, "auto_restart")
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** Deletes a workspace secret; an absent key fails `SecretNotFound` and restarts nothing. */
    const removeForWorkspace = Effect.fn("Secrets.removeForWorkspace")(function* (id: WorkspaceId, key: string) {
      yield* requireLive(store, id)
      if (!(yield* secrets.deleteWorkspace(id, key))) return yield* Effect.fail(new SecretNotFound({ key }))
      yield* autoRestart.request(id, "auto_restart")
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    // Best effort: the write already happened, so a failed lookup is logged rather than failing the request.
    const restartUsersOf = (key: string) =>
      Effect.flatMap(secrets.workspacesUsingGlobal(key), (ids) =>
        Effect.forEach(ids, (id) => autoRestart.request(id, "auto_restart"), { discard: true })
      ).pipe(Effect.catchAll((e) => Effect.logWarning("global secret change: restart lookup failed", e)))

    /** Global secrets ordered by key; never values. */
    const listGlobal = Effect.fn("Secrets.listGlobal")(function* () {
      return yield* secrets.listGlobal
    })

    /** Upserts a global secret; fails `InvalidInput` or `SecretWriteFailed`. */
    const saveGlobal = Effect.fn("Secrets.saveGlobal")(function* (key: string, value: string) {
      yield* requireKeyAndValue(key, value)
      yield* secrets.putGlobal(key, value).pipe(
        Effect.tapErrorTag("SecretWriteFailed", (e) => Effect.logError("global secret write failed", e))
      )
      yield* restartUsersOf(key)
    })

    /** Deletes a global secret; an absent key fails `SecretNotFound`. */
    const removeGlobal = Effect.fn("Secrets.removeGlobal")(function* (key: string) {
      if (!(yield* secrets.deleteGlobal(key))) return yield* Effect.fail(new SecretNotFound({ key }))
      yield* restartUsersOf(key)
    })

    return { listForWorkspace, values, saveForWorkspace, removeForWorkspace, listGlobal, saveGlobal, removeGlobal } as const
  })
}) {}
