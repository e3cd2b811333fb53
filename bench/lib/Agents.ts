/**
 * Registered agents for the load benches. Rows are created with set-based SQL as external workspaces awaiting
 * their agent (the API's create route is not what these benches measure), then each one registers through
 * `POST /registry/register`, which turns it `online` and mints its token: heartbeats present it, as real agents do.
 */
import { Effect } from "effect"
import { HttpConnection, encodeRequest } from "../load/HttpConnection.js"
import { CommandFailed } from "./Shell.js"
import { query } from "./Postgres.js"

/** Ids the benches can also compute inside SQL and pgbench: `n` → a v4-shaped UUID. */
export const benchId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

/** The same mapping in SQL, for an integer expression `n`. */
export const benchIdSql = (n: string): string => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`

export interface Agent {
  readonly id: string
  readonly token: string
}

/** Inserts `count` external `awaiting_agent` rows numbered 1..count (Postgres databases only). */
export const insertExternalRows = (url: string, count: number) =>
  query(url, `
    INSERT INTO workspaces (id, name, status, runtime, delivery_mode, awareness_namespace)
    SELECT ${benchIdSql("g")}, 'bench-' || g, $1::workspace_status, 'external', 'poll', 'workspace:' || ${benchIdSql("g")}
    FROM generate_series(1, $2::int) g`, ["awaiting_agent", count])

/** Registers agents 1..count through the API (`parallel` connections) and returns their ids and tokens. */
export const register = (port: number, count: number, parallel = 16) =>
  Effect.tryPromise({
    try: async () => {
      const agents: Array<Agent> = new Array(count)
      let next = 1
      const worker = async () => {
        const connection = new HttpConnection(port)
        while (next <= count) {
          const n = next++
          const id = benchId(n)
          const body = JSON.stringify({ id, agent_card: { name: `bench-${n}`, skills: [] }, delivery_mode: "poll" })
          const answer = await connection.send(encodeRequest("POST", "/registry/register", { body }))
          const parsed = JSON.parse(answer.body.toString("utf8")) as { readonly auth_token?: string }
          if (answer.status !== 200 || parsed.auth_token === undefined) {
            throw new Error(`register ${id}: ${answer.status} ${answer.body.toString("utf8")}`)
          }
          agents[n - 1] = { id, token: parsed.auth_token }
        }
        connection.close()
      }
      await Promise.all(Array.from({ length: parallel }, worker))
      return agents
    },
    catch: (cause) => new CommandFailed({ command: "register agents", output: String(cause) })
  })

/** A steady-state beat: same task, no errors, so no status change and no TASK_UPDATED (the common case). */
export const heartbeatRequest = (agent: Agent): string =>
  encodeRequest("POST", "/registry/heartbeat", {
    headers: { Authorization: `Bearer ${agent.token}` },
    body: JSON.stringify({
      workspace_id: agent.id,
      error_rate: 0,
      sample_error: "",
      active_tasks: 1,
      uptime_seconds: 3600,
      current_task: "bench",
      monthly_spend: 0,
      runtime_state: ""
    })
  }).toString("latin1")
