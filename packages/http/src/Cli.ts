/**
 * The `berth` command (@effect/cli): `berth serve`, `berth migrate`, `berth gates [path]`. The commands only name
 * what to run; `main.ts` gives each its composed layers.
 */
import { Args, Command } from "@effect/cli"
import type { Effect } from "effect"

export interface Programs<R> {
  /** Runs the server until interrupted (SIGINT/SIGTERM). */
  readonly serve: Effect.Effect<void, unknown, R>
  /** Applies pending migrations and reports them. */
  readonly migrate: Effect.Effect<void, unknown, R>
  /** Runs the architectural gates on a project directory; fails when any finding is reported. */
  readonly gates: (path: string) => Effect.Effect<void, unknown, R>
}

export const make = <R>(programs: Programs<R>) => {
  const serve = Command.make("serve", {}, () => programs.serve).pipe(
    Command.withDescription("start the HTTP server on PORT (default 8080)")
  )
  const migrate = Command.make("migrate", {}, () => programs.migrate).pipe(
    Command.withDescription("apply pending database migrations (DATABASE_URL, or the embedded database) and exit")
  )
  const gates = Command.make(
    "gates",
    { path: Args.text({ name: "path" }).pipe(Args.withDefault(".")) },
    ({ path }) => programs.gates(path)
  ).pipe(Command.withDescription("check Berth's architectural invariants on a source tree (default: current directory)"))
  const berth = Command.make("berth").pipe(Command.withSubcommands([serve, migrate, gates]))
  return Command.run(berth, { name: "berth", version: "0.1.0" })
}
