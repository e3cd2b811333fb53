/**
 * `berth gates [path] [--format …] [--gates id,…]`: the architectural gates (`@berth/gates`) with the same formats,
 * verdict and exit codes as their own CLI (0 clean, 1 findings, 2 unusable input). Loaded on demand: the gates
 * bring a TypeScript parser that `serve` does not need.
 */
import { Console, Effect } from "effect"
import type { Command, ExitCode, Input } from "./Command.js"

const run = (input: Input): Effect.Effect<ExitCode> => Effect.gen(function* () {
  const gates = yield* Effect.promise(() => import("@berth/gates"))
  const format = input.flags.get("format") ?? "text"
  const only = typeof input.flags.get("gates") === "string" ? String(input.flags.get("gates")).split(",").filter((g) => g !== "") : []
  const unknown = only.filter((g) => !(gates.gateIds as ReadonlyArray<string>).includes(g))
  if (typeof format !== "string" || !gates.isFormat(format) || unknown.length > 0) {
    const what = unknown.length > 0 ? `gate(s) ${unknown.join(", ")}` : `format "${String(format)}"`
    yield* Console.error(`berth gates: unknown ${what}; see berth gates --help`)
    return 2 as const
  }
  const selected = only.length === 0 ? {} : { gates: gates.gateIds.filter((g) => only.includes(g)) }
  const report = yield* gates.gatesReport(input.args[0] ?? ".", selected)
  const verdict = gates.verdictOf(report)
  yield* Console.log(gates.render(report, format, verdict))
  const note = gates.stderrLine(format, verdict)
  if (note !== undefined) yield* Console.error(note)
  return verdict.exitCode
}).pipe(Effect.catchTag("GatesFailed", (e) =>
  Effect.as(Console.error(e.message.startsWith("gates:") ? e.message : `gates: ${e.message}`), 2 as const)))

export const gates: Command<never> = {
  name: "gates",
  summary: "check the architectural gates on a source tree (exit 0 clean, 1 findings, 2 unusable input)",
  args: [{ name: "path", optional: true, description: "the project root (default: the current directory)" }],
  flags: [
    { name: "format", value: "text|json|github|sarif", description: "the report format (default text)" },
    { name: "gates", value: "id,…", description: "only these gates (default: all)" }
  ],
  examples: ["berth gates . --format github", "berth gates --format sarif > gates.sarif"],
  run
}
