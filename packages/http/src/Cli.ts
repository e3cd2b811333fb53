/**
 * The `berth` command: `serve` and `migrate` run the programs `main.ts` composes, `gates` runs `@berth/gates`, and
 * the operator commands (`workspaces`, `events`, `agents`, in `cli/`) drive a remote server through the typed
 * client. The tree, its parser and its help are `cli/Command.ts`; the result is the process's exit code.
 */
import type { HttpClient } from "@effect/platform"
import { Console, Effect } from "effect"
import { agents } from "./cli/Agents.js"
import type { Command, ExitCode } from "./cli/Command.js"
import { help, parse } from "./cli/Command.js"
import { events } from "./cli/Events.js"
import { gates } from "./cli/Gates.js"
import { workspaces } from "./cli/Workspaces.js"

export const version = "0.1.0"

export interface Programs<R> {
  /** Runs the server until interrupted (SIGINT/SIGTERM). */
  readonly serve: Effect.Effect<void, unknown, R>
  /** Applies pending migrations and reports them. */
  readonly migrate: Effect.Effect<void, unknown, R>
}

const serverEnv: ReadonlyArray<readonly [string, string]> = [
  ["PORT", "the listening port (default 8080)"],
  ["DATABASE_URL", "Postgres; without it the embedded database in BERTH_DATA_DIR (default ./.berth/data)"],
  ["ADMIN_TOKEN", "the admin bearer token (see the README for every other variable)"]
]

/** The whole tree, for help and parsing. */
export const tree = <R>(programs: Programs<R>): Command<R | HttpClient.HttpClient> => ({
  name: "berth",
  summary: "the Berth control plane: run the server, or drive a remote one",
  subcommands: [
    {
      name: "serve",
      summary: "start the HTTP server on PORT (default 8080)",
      env: serverEnv,
      examples: ["PORT=8080 ADMIN_TOKEN=… berth serve"],
      run: () => Effect.as(programs.serve, 0 as const)
    },
    {
      name: "migrate",
      summary: "apply pending database migrations (DATABASE_URL, or the embedded database) and exit",
      env: serverEnv.slice(1, 2),
      examples: ["DATABASE_URL=postgres://… berth migrate"],
      run: () => Effect.as(programs.migrate, 0 as const)
    },
    gates,
    workspaces,
    events,
    agents
  ],
  examples: ["berth serve", "berth workspaces list --json", "berth gates --format github"]
})

/** Runs `argv` (as `process.argv`, node and script first): help on stdout, a mistake as one line on stderr (exit 2). */
export const make = <R>(programs: Programs<R>) =>
  (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, unknown, R | HttpClient.HttpClient> => {
    const words = argv.slice(2)
    if (words[0] === "--version") return Effect.as(Console.log(`berth ${version}`), 0 as const)
    const parsed = parse(tree(programs), words)
    switch (parsed._tag) {
      case "Mistake":
        return Effect.as(Console.error(parsed.message), 2 as const)
      case "Help": {
        // Asked for (`--help`) is an answer; a group named without its subcommand is a mistake.
        const asked = words.includes("--help") || words.includes("-h")
        const page = help(parsed.command, parsed.path)
        return asked ? Effect.as(Console.log(page), 0 as const) : Effect.as(Console.error(page), 2 as const)
      }
      case "Run":
        return parsed.command.run?.(parsed.input) ?? Effect.succeed(2 as const)
    }
  }
