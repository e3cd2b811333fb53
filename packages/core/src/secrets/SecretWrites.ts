/**
 * The one way a route writes a workspace secret (§5.7): create's model pick (§5.2 rule 9), `PUT …/model`,
 * `PUT …/provider` and `…/secrets` all go through `write`, where an empty value deletes the key.
 */
import { Effect } from "effect"
import type { DatastoreUnavailable, SecretWriteFailed } from "../domain/Errors.js"
import type { SecretRepository } from "../ports/SecretRepository.js"
import { deriveProvider } from "../domain/ProviderDerivation.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** The reserved key holding the model slug picked in the canvas (§3.3). */
export const MODEL_KEY = "MODEL_PROVIDER"
/** The reserved key holding the provider slug (§3.3): a hint, the workload's own derivation stays authoritative. */
export const PROVIDER_KEY = "LLM_PROVIDER"

/** What a write did. */
export type Outcome = "saved" | "cleared"

/** Upserts `key`, or deletes it when `value` is empty (deleting an absent key is still `cleared`). */
export const write = (
  secrets: SecretRepository["Type"],
  id: WorkspaceId,
  key: string,
  value: string
): Effect.Effect<Outcome, DatastoreUnavailable | SecretWriteFailed> =>
  value === ""
    ? Effect.as(secrets.deleteWorkspace(id, key), "cleared" as const)
    : Effect.as(secrets.putWorkspace(id, key, value), "saved" as const)

/**
 * Create rule 9: `MODEL_PROVIDER = model`, and `LLM_PROVIDER = deriveProvider(model)` when that is non-empty (an
 * unknown prefix writes only the model). An empty model writes nothing.
 */
export const writeModelPick = (
  secrets: SecretRepository["Type"],
  id: WorkspaceId,
  model: string
): Effect.Effect<void, DatastoreUnavailable | SecretWriteFailed> =>
  Effect.gen(function* () {
    if (model === "") return
    yield* write(secrets, id, MODEL_KEY, model)
    const provider = deriveProvider(model)
    if (provider !== "") yield* write(secrets, id, PROVIDER_KEY, provider)
  })
