/**
 * Checks Prometheus text with a real exposition parser: Debian's python3-prometheus-client, run by the system python
 * (`/usr/bin/python3`, not whatever python comes first on PATH, which may lack the package). `.ci/services` installs it.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"

export interface Report {
  readonly families: ReadonlyArray<{ readonly name: string; readonly type: string; readonly help: string; readonly samples: number }>
  readonly problems: ReadonlyArray<string>
}

const script = fileURLToPath(new URL("./promtext.py", import.meta.url))

export const parse = (text: string): Effect.Effect<Report> =>
  Effect.sync(() => JSON.parse(execFileSync("/usr/bin/python3", [script], { input: text, encoding: "utf8" })) as Report)
