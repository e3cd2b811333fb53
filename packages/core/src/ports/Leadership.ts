import type { Effect } from "effect"
import { Context } from "effect"

/**
 * Leadership of background loops (§7): on Postgres a session-level advisory lock named after the loop, held on a
 * dedicated connection while leading; on the embedded database the single process always leads.
 */
export class Leadership extends Context.Tag("@berth/core/Leadership")<Leadership, {
  /**
   * Waits until this replica holds the lock `name`, then runs `effect` while holding it. If the lock is lost (its
   * connection died) `effect` is interrupted and leadership is sought again. Ends when `effect` ends (lock released).
   */
  readonly runAsLeader: <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<void, E, R>
}>() {}
