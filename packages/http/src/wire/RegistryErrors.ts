/**
 * Core registry errors → the contract's wire errors (§4.4, §5.11, §5.12), one table per route because a datastore
 * fault reads differently on each. Handlers apply them with `Effect.catchTags`.
 */
import type { Errors } from "@berth/core"
import { Effect } from "effect"
import { invalidToken, missingToken } from "../guards/WorkspaceAuth.js"
import { BadRequest, Internal, datastoreUnavailable, workspaceNotFound, workspaceRemoved } from "./Errors.js"

const rejected = (e: Errors.TokenRejected) => Effect.fail(e.presented ? invalidToken : missingToken)
const notFound = () => Effect.fail(workspaceNotFound)
const removed = (e: Errors.WorkspaceRemoved) => Effect.fail(workspaceRemoved(e.id, e.removedAt))
const badInput = (e: Errors.InvalidInput) => Effect.fail(new BadRequest({ error: e.message }))
const internal = (error: string) => () => Effect.fail(new Internal({ error }))

/** The registry token gate alone (the `/ws` upgrade). */
export const gateErrors = { TokenRejected: rejected } as const

export const registerErrors = {
  TokenRejected: rejected,
  WorkspaceRemoved: removed,
  InvalidInput: badInput,
  DatastoreUnavailable: internal("registration failed")
} as const

export const heartbeatErrors = {
  TokenRejected: rejected,
  WorkspaceNotFound: notFound,
  WorkspaceRemoved: removed,
  DatastoreUnavailable: internal("failed to update")
} as const

export const updateCardErrors = {
  TokenRejected: rejected,
  WorkspaceNotFound: notFound,
  DatastoreUnavailable: internal("failed to update")
} as const

/** An admin route: a datastore fault is the 503 of §4.2. */
export const bootstrapFailedErrors = { DatastoreUnavailable: () => Effect.fail(datastoreUnavailable) } as const
