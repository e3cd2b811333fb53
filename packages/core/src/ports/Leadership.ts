import type { Effect } from "effect"
import { Context } from "effect"

/**
 * Leadership of background loops (§7): on Postgres a session-level advisory lock named after the loop, held on a
 * dedicated connection from the first pass this replica leads until it stops (so each pass runs once per period
 * across replicas); on the embedded database the single process always leads.
 */
export class Leadership extends Context.Tag("@berth/core/Leadership")<Leadership, {
  /**
   * Waits until this replica holds the lock `name` (taking it if free; once taken it is kept until the replica stops),
   * then runs `effect`. If the lock is lost (its connection died) `effect` is interrupted, the lock sought again and
   * `effect` run again. Ends when `effect` ends.
   */
  readonly runAsLeader: <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<void, E, R>
}>() {}
