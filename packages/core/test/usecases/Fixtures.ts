/**
 * Small pieces the use-case tests share: workspace rows made through the store port, and an `AutoRestart` that
 * keeps the ids it was asked to restart (the lifecycle behind the real one is not what these tests are about).
 */
import { Rows } from "@berth/adapters/testing"
import { AutoRestart } from "@berth/core"
import { Context, Effect, Layer, Ref } from "effect"

/** A fresh `provisioning` row (external, poll mode, unless `runtime` says otherwise), as create stores it. */
export const newWorkspace = (name: string, runtime = "external") => Rows.createExternal({ name, runtime })

/** Marks the row `removed`, as delete does. */
export const removeWorkspace = Rows.remove

/** The ids restarts were requested for, in order. */
export class RestartRequests extends Context.Tag("test/RestartRequests")<RestartRequests, Ref.Ref<ReadonlyArray<string>>>() {}

/** `AutoRestart` and `RestartRequests` over one list. */
export const autoRestartKept = Layer.effectContext(Effect.gen(function* () {
  const requests = yield* Ref.make<ReadonlyArray<string>>([])
  return Context.make(RestartRequests, requests).pipe(
    Context.add(AutoRestart, AutoRestart.of({ request: (id) => Ref.update(requests, (all) => [...all, id]) }))
  )
}))

/** Empties the list and returns what it held. */
export const takeRestartRequests = Effect.flatMap(RestartRequests, (requests) => Ref.getAndSet(requests, []))

/** "ok", or the tag of the error the use case failed with. */
export const tagOf = <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
  self.pipe(Effect.as("ok"), Effect.catchAll((e) => Effect.succeed(e._tag)))
