/**
 * `berth agents register|heartbeat`: speak for an agent (§5.11) in smoke tests, with the workspace's own token
 * (`--token` or `BERTH_AGENT_TOKEN`; the admin token is not an agent's), e.g. to bring an external workspace online.
 */
import type { HttpClient } from "@effect/platform"
import { Console, Effect, Option } from "effect"
import type { Command, ExitCode, Input } from "./Command.js"
import * as Output from "./Output.js"
import * as Remote from "./Remote.js"
import { withId } from "./Workspaces.js"

const token = { name: "token", value: "token", description: "the workspace's auth token (default: BERTH_AGENT_TOKEN)" } as const
const json = { name: "json", description: "print the server's JSON" } as const
const env = [...Remote.remoteEnv, ["BERTH_AGENT_TOKEN", "the workspace's auth token, when --token is not given"] as const]

const agentToken = (input: Input): Option.Option<string> => {
  const flag = input.flags.get("token")
  return typeof flag === "string" ? Option.some(flag) : Option.fromNullable(process.env["BERTH_AGENT_TOKEN"]).pipe(
    Option.filter((t) => t !== "")
  )
}

/** The agent's token, or a one-line mistake (exit 2): without one the call could only be refused. */
const needsToken = (
  path: string, input: Input, run: (bearer: Option.Option<string>) => Effect.Effect<ExitCode, never, HttpClient.HttpClient>
) => {
  const bearer = agentToken(input)
  return Option.isNone(bearer)
    ? Effect.as(Console.error(`${path}: no agent token: pass --token or set BERTH_AGENT_TOKEN`), 2 as const)
    : run(bearer)
}

const register: Command<HttpClient.HttpClient> = {
  name: "register",
  summary: "register an agent for a workspace (POST /registry/register)",
  args: [{ name: "id", description: "the workspace id" }],
  flags: [
    token,
    { name: "url", value: "url", description: "where the agent listens (push delivery)" },
    { name: "poll", description: "ask for poll delivery (the agent has no public URL)" },
    json
  ],
  env,
  examples: ["berth agents register 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --token \"$TOKEN\" --poll"],
  run: (input) => withId("berth agents register", input, (id) => needsToken("berth agents register", input, (bearer) => {
    const url = input.flags.get("url")
    return Remote.call("berth agents register",
      (remote) => Effect.flatMap(Remote.client(remote, bearer), (c) => c.registry.register({
        payload: {
          id,
          agent_card: { name: "berth-cli" },
          ...(typeof url === "string" ? { url } : {}),
          ...(input.flags.has("poll") ? { delivery_mode: "poll" } : {})
        }
      })),
      (answer) => Output.show(input.flags.has("json"), answer, Output.record))
  }))
}

const heartbeat: Command<HttpClient.HttpClient> = {
  name: "heartbeat",
  summary: "send one heartbeat for a workspace's agent (POST /registry/heartbeat)",
  args: [{ name: "id", description: "the workspace id" }],
  flags: [token, { name: "task", value: "text", description: "the agent's current task" }, json],
  env,
  examples: ["berth agents heartbeat 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --token \"$TOKEN\""],
  run: (input) => withId("berth agents heartbeat", input, (id) => needsToken("berth agents heartbeat", input, (bearer) => {
    const task = input.flags.get("task")
    return Remote.call("berth agents heartbeat",
      (remote) => Effect.flatMap(Remote.client(remote, bearer), (c) => c.registry.heartbeat({
        payload: { workspace_id: id, ...(typeof task === "string" ? { current_task: task } : {}) }
      })),
      (answer) => Output.show(input.flags.has("json"), answer, Output.record))
  }))
}

export const agents: Command<HttpClient.HttpClient> = {
  name: "agents",
  summary: "act as a workspace's agent (register, heartbeat) for smoke tests",
  subcommands: [register, heartbeat],
  env,
  examples: ["berth agents heartbeat <id> --token \"$TOKEN\""]
}
