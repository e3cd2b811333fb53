/**
 * The `berth` command: `serve`, `migrate` and `gates` run here (their programs come composed from `main.ts`), and
 * the operator commands (`workspaces`, `events`, `agents`, in `cli/`) drive a remote server through the typed
 * client. The tree, its parser and its help are `cli/Command.ts`; the result is the process's exit code.
 */
import type { HttpClient } from "@effect/platform"
import { Console, Effect } from "effect"
import { agents } from "./cli/Agents.js"
import type { Command, ExitCode } from "./cli/Command.js"
import { help, parse } from "./cli/Command.js"
import { events } from "./cli/Events.js"
import { workspaces } from "./cli/Workspaces.js"

export const version = "0.1.0"

/** `berth gates` options: the report format and, optionally, only some gates. */
export interface GatesRequest {
  readonly path: string
  readonly format: string
  readonly gates: ReadonlyArray<string>
}

export interface Programs<R> {
  /** Runs the server until interrupted (SIGINT/SIGTERM). */
  readonly serve: Effect.Effect<void, unknown, R>
  /** Applies pending migrations and reports them. */
  readonly migrate: Effect.Effect<void, unknown, R>
  /** Runs the architectural gates and prints the report; the exit code is the gates' verdict (0, 1 or 2). */
  readonly gates: (request: GatesRequest) => Effect.Effect<ExitCode, unknown, R>
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
    {
      name: "gates",
      summary: "check the architectural gates on a source tree (exit 0 clean, 1 findings, 2 unusable input)",
      args: [{ name: "path", optional: true, description: "the project root (default: the current directory)" }],
      flags: [
        { name: "format", value: "text|json|github|sarif", description: "the report format (default text)" },
        { name: "gates", value: "id,…", description: "only these gates" }
      ],
      examples: ["berth gates . --format github", "berth gates --format sarif > gates.sarif"],
      run: (input) => {
        const format = input.flags.get("format")
        const only = input.flags.get("gates")
        return programs.gates({
          path: input.args[0] ?? ".",
          format: typeof format === "string" ? format : "text",
          gates: typeof only === "string" ? only.split(",").filter((g) => g !== "") : []
        })
      }
    },
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
