/**
 * One lane per workspace for everything that talks to a provisioner about it (provision, restart cycles): turns of a
 * lane never overlap, and jobs requested while a turn runs coalesce into ONE follow-up turn (contract §5.6). The
 * bookkeeping is a pure state machine (`enqueue`, `advance`); the runner keeps each lane's fiber in a `FiberMap` of
 * the owning layer's scope, so lanes are detached from the requests that start them and end when the layer closes.
 */
import type { Context, Scope } from "effect"
import { Cause, Effect, FiberMap, Option, Ref } from "effect"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** A running lane: which run of the lane it is (`token`) and the follow-up job queued behind its turn. */
export interface Lane<J> {
  readonly token: number
  readonly queued: Option.Option<J>
}

/** The running lanes by workspace id; an idle workspace has no entry. */
export type LaneState<J> = ReadonlyMap<string, Lane<J>>

/** Combines the job already queued behind a running turn with a newly requested one. */
export type Merge<J> = (queued: J, next: J) => J

/**
 * A request on an idle lane opens it under `token` (returned, so the caller starts it); on a running one the job is
 * queued, merged with what is already queued (None returned: nothing to start).
 */
export const enqueue = <J>(
  state: LaneState<J>,
  id: string,
  job: J,
  token: number,
  merge: Merge<J>
): readonly [Option.Option<number>, LaneState<J>] => {
  const lane = state.get(id)
  if (lane === undefined) return [Option.some(token), new Map(state).set(id, { token, queued: Option.none() })]
  const queued = Option.match(lane.queued, { onNone: () => job, onSome: (q) => merge(q, job) })
  return [Option.none(), new Map(state).set(id, { token: lane.token, queued: Option.some(queued) })]
}

/**
 * The turn of lane run `token` ended: its queued job becomes the next turn, or the lane closes when nothing is
 * queued. A stale token (the lane was cancelled and maybe reopened) changes nothing and ends that run.
 */
export const advance = <J>(state: LaneState<J>, id: string, token: number): readonly [Option.Option<J>, LaneState<J>] => {
  const lane = state.get(id)
  if (lane === undefined || lane.token !== token) return [Option.none(), state]
  if (Option.isNone(lane.queued)) {
    const closed = new Map(state)
    closed.delete(id)
    return [Option.none(), closed]
  }
  return [lane.queued, new Map(state).set(id, { token, queued: Option.none() })]
}

/** Forgets a lane (cancel). */
export const close = <J>(state: LaneState<J>, id: string): LaneState<J> => {
  const next = new Map(state)
  next.delete(id)
  return next
}

/** The lanes of one layer. */
export interface Lanes<J> {
  /** Starts `job` on the workspace's lane, or queues it behind the running turn. Returns at once. */
  readonly request: (id: WorkspaceId, job: J) => Effect.Effect<void>
  /** Drops what is queued and interrupts the running turn (delete stops the workload itself). */
  readonly cancel: (id: WorkspaceId) => Effect.Effect<void>
  /** Waits until no lane runs (tests, graceful ends). */
  readonly awaitIdle: Effect.Effect<void>
}

/**
 * Lanes running `turn(id, job)` with the services captured when the lanes are made. A turn that fails or dies is
 * logged and the lane goes on with its queued job: one bad turn never wedges a workspace.
 */
export const make = <J, R>(
  turn: (id: WorkspaceId, job: J) => Effect.Effect<void, never, R>,
  merge: Merge<J>
): Effect.Effect<Lanes<J>, never, Scope.Scope | R> =>
  Effect.gen(function* () {
    const context: Context.Context<R> = yield* Effect.context<R>()
    const state = yield* Ref.make<LaneState<J>>(new Map())
    const tokens = yield* Ref.make(0)
    const fibers = yield* FiberMap.make<string>()

    const guardedTurn = (id: WorkspaceId, job: J) =>
      turn(id, job).pipe(
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.logError("workspace lane: turn failed", cause))
      )

    const drain = (id: WorkspaceId, token: number, first: J): Effect.Effect<void, never, R> =>
      Effect.gen(function* () {
        let job = first
        while (true) {
          yield* guardedTurn(id, job)
          const next = yield* Ref.modify(state, (s) => advance(s, id, token))
          if (Option.isNone(next)) return
          job = next.value
        }
      })

    const request = (id: WorkspaceId, job: J) =>
      Effect.gen(function* () {
        const token = yield* Ref.updateAndGet(tokens, (n) => n + 1)
        const opened = yield* Ref.modify(state, (s) => enqueue(s, id, job, token, merge))
        // A lane that just closed may still be ending in the map: replacing it interrupts nothing left to do.
        if (Option.isNone(opened)) return
        yield* FiberMap.run(fibers, id, Effect.provide(drain(id, token, job), context)).pipe(
          // Only a closed map refuses (the layer is shutting down): the request is dropped, the caller carries on.
          Effect.catchAllCause(() => Effect.logWarning("workspace lane: shutting down, request dropped"))
        )
      }).pipe(
        // Opening a lane and starting its fiber are one step: an interruption between them would wedge the lane.
        Effect.uninterruptible,
        Effect.annotateLogs("workspace_id", id)
      )

    const cancel = (id: WorkspaceId) =>
      Effect.zipRight(Ref.update(state, (s) => close(s, id)), FiberMap.remove(fibers, id))

    return { request, cancel, awaitIdle: FiberMap.awaitEmpty(fibers).pipe(Effect.ignore) } satisfies Lanes<J>
  })
