/**
 * `berth agents register|heartbeat|peers|discover|send`: speak for an agent (§5.11, §5.11.1, §5.13) in smoke tests, with the workspace's own token
 * (`--token` or `BERTH_AGENT_TOKEN`; the admin token is not an agent's), e.g. to bring an external workspace online.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
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

const peerColumns = ["id", "name", "status", "role", "url"]

const peers: Command<HttpClient.HttpClient> = {
  name: "peers",
  summary: "list the workspaces an agent may talk to (GET /registry/:id/peers)",
  args: [{ name: "id", description: "the agent's workspace id" }],
  flags: [token, { name: "q", value: "text", description: "keep peers whose name or role contains it" }, json],
  env,
  examples: ["berth agents peers 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --token \"$TOKEN\""],
  run: (input) => withId("berth agents peers", input, (id) => needsToken("berth agents peers", input, (bearer) => {
    const q = input.flags.get("q")
    return Remote.call("berth agents peers",
      (remote) => Effect.flatMap(Remote.client(remote, bearer), (c) => c.discovery.peers({
        path: { id }, urlParams: typeof q === "string" ? { q } : {}
      })),
      (rows) => Output.show(input.flags.has("json"), rows, (r) => Output.table(peerColumns, r)))
  }))
}

/** `--as <id>`: the workspace the agent speaks for (sent as `X-Workspace-ID`). */
const speaksAs = { name: "as", value: "id", description: "the calling agent's workspace id (X-Workspace-ID)" } as const

const discover: Command<HttpClient.HttpClient> = {
  name: "discover",
  summary: "ask where a peer listens, as an agent (GET /registry/discover/:id)",
  args: [{ name: "id", description: "the peer's workspace id" }],
  flags: [speaksAs, token, json],
  env,
  examples: ["berth agents discover <peer-id> --as <my-id> --token \"$TOKEN\""],
  run: (input) => withId("berth agents discover", input, (id) => needsToken("berth agents discover", input, (bearer) => {
    const caller = input.flags.get("as")
    return typeof caller !== "string"
      ? Effect.as(Console.error("berth agents discover: pass --as <your workspace id>"), 2 as const)
      : Remote.call("berth agents discover",
        (remote) => Effect.flatMap(Remote.client(remote, bearer), (c) => c.discovery.discover({
          path: { id }, headers: { "x-workspace-id": caller }
        })),
        (peer) => Output.show(input.flags.has("json"), peer, Output.record))
  }))
}

const send: Command<HttpClient.HttpClient> = {
  name: "send",
  summary: "send an A2A message/send to a workspace's agent through Berth (POST /workspaces/:id/a2a)",
  args: [{ name: "id", description: "the target workspace id" }, { name: "text", description: "the message text" }],
  flags: [
    { name: "as", value: "id", description: "the calling agent's workspace id (with its --token); none: as the canvas" },
    token,
    { name: "timeout", value: "seconds", description: "how long the agent may take (X-Timeout)" }
  ],
  env,
  examples: ["berth agents send <peer-id> \"summarise the PR\" --as <my-id> --token \"$TOKEN\""],
  run: (input) => withId("berth agents send", input, (id) => {
    const caller = input.flags.get("as")
    const timeout = input.flags.get("timeout")
    const text = input.args[1] ?? ""
    if (text === "") return Effect.as(Console.error("berth agents send: the message text is missing"), 2 as const)
    const body = { method: "message/send", params: { message: { role: "user", parts: [{ kind: "text", text }] } } }
    const headers = {
      ...(typeof caller === "string" ? { "x-workspace-id": caller } : {}),
      ...(typeof timeout === "string" ? { "x-timeout": timeout } : {})
    }
    // The agent's own answer, whatever its status: read raw, not through the typed client's error table.
    return Effect.gen(function* () {
      const remote = yield* Remote.fromEnv.pipe(Effect.orDie)
      const request = HttpClientRequest.post(`${remote.url}/workspaces/${id}/a2a`).pipe(
        HttpClientRequest.setHeaders(headers),
        HttpClientRequest.bodyUnsafeJson(body),
        Remote.authorize(remote, typeof caller === "string" ? agentToken(input) : Option.none())
      )
      const client = yield* HttpClient.HttpClient
      return yield* client.execute(request).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (answer) => [response.status, answer] as const)),
        Effect.scoped,
        Effect.flatMap(([status, answer]) => status < 400
          ? Effect.as(Console.log(answer), 0 as const)
          : Effect.as(Console.error(`berth agents send: ${status} ${answer}`), 1 as const)),
        Effect.catchAll((e) => Effect.as(Console.error(`berth agents send: ${Remote.describe(remote, e)}`), 1 as const))
      )
    })
  })
}

export const agents: Command<HttpClient.HttpClient> = {
  name: "agents",
  summary: "act as a workspace's agent (register, heartbeat, peers, discover, send) for smoke tests",
  subcommands: [register, heartbeat, peers, discover, send],
  env,
  examples: ["berth agents heartbeat <id> --token \"$TOKEN\""]
}
