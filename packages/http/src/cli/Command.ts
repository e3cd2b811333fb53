/**
 * The `berth` command tree as data, its argv parser and its help. Each command names its arguments, options, the
 * environment variables it reads and an example, so `--help` is written from the same table the parser reads:
 * subcommands first, then usage, options, environment and examples. A mistake (unknown command, unknown option,
 * missing argument) is one line on stderr and exit 2, never a stack.
 */
import type { Effect } from "effect"

/** An option: `--name` (a switch) or `--name <value>` / `--name=value` when `value` names a placeholder. */
export interface Flag {
  readonly name: string
  readonly value?: string
  readonly description: string
}

export interface Positional {
  readonly name: string
  readonly optional?: boolean
  readonly description: string
}

/** What a command's `run` receives: positionals in order, options by name (`true` for a switch). */
export interface Input {
  readonly args: ReadonlyArray<string>
  readonly flags: ReadonlyMap<string, string | true>
}

/** A run ends with the process's exit code: 0 done, 1 the operation failed, 2 it was asked wrongly. */
export type ExitCode = 0 | 1 | 2

export interface Command<R> {
  readonly name: string
  readonly summary: string
  readonly args?: ReadonlyArray<Positional>
  readonly flags?: ReadonlyArray<Flag>
  /** Environment variables the command reads, each with what it means and its default. */
  readonly env?: ReadonlyArray<readonly [name: string, meaning: string]>
  readonly examples?: ReadonlyArray<string>
  readonly subcommands?: ReadonlyArray<Command<R>>
  /** Operator commands never fail (they print and return 1); `serve`/`migrate` fail as start-up problems. */
  readonly run?: (input: Input) => Effect.Effect<ExitCode, unknown, R>
}

/** What the argv asks for: run a command, show a help page, or a usage mistake (exit 2). */
export type Parsed<R> =
  | { readonly _tag: "Run"; readonly command: Command<R>; readonly path: string; readonly input: Input }
  | { readonly _tag: "Help"; readonly command: Command<R>; readonly path: string }
  | { readonly _tag: "Mistake"; readonly message: string }

const helpFlags = new Set(["--help", "-h"])

/** Parses `argv` (without node and the script) against the tree rooted at `root`. */
export const parse = <R>(root: Command<R>, argv: ReadonlyArray<string>): Parsed<R> => {
  let command = root
  let path = root.name
  let i = 0
  // Walk down the subcommands named by the leading words.
  while (command.subcommands !== undefined && i < argv.length) {
    const word = argv[i] ?? ""
    if (helpFlags.has(word)) return { _tag: "Help", command, path }
    const next = command.subcommands.find((c) => c.name === word)
    if (next === undefined) {
      const known = command.subcommands.map((c) => c.name).join(", ")
      return { _tag: "Mistake", message: `${path}: unknown command "${word}" (one of: ${known}); see ${path} --help` }
    }
    command = next
    path = `${path} ${word}`
    i++
  }
  if (command.run === undefined) return { _tag: "Help", command, path }
  const args: Array<string> = []
  const flags = new Map<string, string | true>()
  for (; i < argv.length; i++) {
    const word = argv[i] ?? ""
    if (helpFlags.has(word)) return { _tag: "Help", command, path }
    if (!word.startsWith("--") || word === "--") {
      args.push(word)
      continue
    }
    const [name = "", inline] = word.slice(2).split(/=(.*)/s, 2)
    const flag = command.flags?.find((f) => f.name === name)
    if (flag === undefined) return { _tag: "Mistake", message: `${path}: unknown option --${name}; see ${path} --help` }
    if (flag.value === undefined) {
      if (inline !== undefined) return { _tag: "Mistake", message: `${path}: --${name} takes no value` }
      flags.set(name, true)
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) return { _tag: "Mistake", message: `${path}: --${name} needs a value <${flag.value}>` }
    flags.set(name, value)
  }
  const declared = command.args ?? []
  const missing = declared.slice(args.length).find((a) => a.optional !== true)
  if (missing !== undefined) return { _tag: "Mistake", message: `${path}: missing <${missing.name}>; see ${path} --help` }
  if (args.length > declared.length) {
    return { _tag: "Mistake", message: `${path}: unexpected argument "${args[declared.length]}"; see ${path} --help` }
  }
  return { _tag: "Run", command, path, input: { args, flags } }
}

const column = (rows: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> => {
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

/** The help page of `command` (reached as `path`): subcommands first, then usage, options, environment, examples. */
export const help = <R>(command: Command<R>, path: string): string => {
  const sections: Array<string> = [`${path} — ${command.summary}`]
  if (command.subcommands !== undefined && command.subcommands.length > 0) {
    sections.push(["Commands:", ...column(command.subcommands.map((c) => [c.name, c.summary] as const))].join("\n"))
  }
  const positionals = (command.args ?? []).map((a) => (a.optional === true ? `[${a.name}]` : `<${a.name}>`))
  const usage = command.subcommands !== undefined
    ? `${path} <command> [--help]`
    : [path, ...positionals, ...((command.flags ?? []).length > 0 ? ["[options]"] : [])].join(" ")
  sections.push(`Usage:\n  ${usage}`)
  if ((command.args ?? []).length > 0) {
    sections.push(["Arguments:", ...column((command.args ?? []).map((a) => [a.name, a.description] as const))].join("\n"))
  }
  const flags = [...(command.flags ?? []), { name: "help", description: "show this help" }]
  sections.push(["Options:", ...column(flags.map((f) => [
    `--${f.name}${"value" in f && f.value !== undefined ? ` <${f.value}>` : ""}`, f.description
  ] as const))].join("\n"))
  if ((command.env ?? []).length > 0) sections.push(["Environment:", ...column(command.env ?? [])].join("\n"))
  if ((command.examples ?? []).length > 0) {
    sections.push(["Examples:", ...(command.examples ?? []).map((e) => `  ${e}`)].join("\n"))
  }
  return sections.join("\n\n")
}
