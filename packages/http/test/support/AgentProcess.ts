/**
 * A real agent process for end-to-end tests: `a2a-agent.mjs` started with `node`, listening on 127.0.0.1, killed
 * with the test's scope (or earlier, by `stop`, to show what callers of a stopped agent get).
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"

const script = fileURLToPath(new URL("./a2a-agent.mjs", import.meta.url))

export interface AgentProcess {
  /** `http://localhost:<port>`: loopback names pass the agent URL check (§9.6). */
  readonly url: string
  readonly pid: number
  /** Kills the process and waits until it exited. */
  readonly stop: Effect.Effect<void>
}

export const agentProcess = (name: string) =>
  Effect.acquireRelease(
    Effect.promise(async (): Promise<AgentProcess> => {
      const child = spawn(process.execPath, [script, name], { stdio: ["ignore", "pipe", "inherit"] })
      const [first] = (await once(child.stdout, "data")) as [Buffer]
      const port = Number(first.toString("utf8").trim())
      const stop = Effect.promise(async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const exited = once(child, "exit")
        child.kill("SIGKILL")
        await exited
      })
      return { url: `http://localhost:${port}`, pid: child.pid ?? 0, stop }
    }),
    (agent) => agent.stop
  )
