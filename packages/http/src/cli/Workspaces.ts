/**
 * `berth workspaces list|get|create|update|delete|restart`: the workspace routes (§5.2–§5.6) of a remote server through the
 * typed client, printed as a table (or `key  value` lines) or, with `--json`, as the server's JSON.
 */
import type { HttpClient } from "@effect/platform"
import { WorkspaceId } from "@berth/core"
import { Console, Effect, Either, Schema } from "effect"
import type { Command, ExitCode, Input } from "./Command.js"
import * as Output from "./Output.js"
import * as Remote from "./Remote.js"

const json = { name: "json", description: "print the server's JSON instead of a table" } as const
const idArg = { name: "id", description: "the workspace id (a UUID)" } as const

/** The id argument, or a one-line mistake (exit 2) before anything is sent. */
export const withId = (path: string, input: Input, run: (id: WorkspaceId.WorkspaceId) => Effect.Effect<ExitCode, never, HttpClient.HttpClient>) => {
  const raw = input.args[0] ?? ""
  const id = Schema.decodeUnknownEither(WorkspaceId.WorkspaceId)(raw)
  return Either.isLeft(id)
    ? Effect.as(Console.error(`${path}: "${raw}" is not a workspace id (a UUID)`), 2 as const)
    : run(id.right)
}

const text = (input: Input, name: string): string | undefined => {
  const value = input.flags.get(name)
  return typeof value === "string" ? value : undefined
}

const listColumns = ["id", "name", "status", "runtime", "tier", "url"]

const list: Command<HttpClient.HttpClient> = {
  name: "list",
  summary: "list the workspaces (GET /workspaces)",
  flags: [json],
  env: Remote.remoteEnv,
  examples: ["berth workspaces list", "BERTH_URL=https://berth.example ADMIN_TOKEN=… berth workspaces list --json"],
  run: (input) => Remote.call("berth workspaces list",
    (remote) => Effect.flatMap(Remote.client(remote), (c) => c.workspaces.list({ urlParams: {} })),
    (rows) => Output.show(input.flags.has("json"), rows, (r) => Output.table(listColumns, r)))
}

const get: Command<HttpClient.HttpClient> = {
  name: "get",
  summary: "show one workspace (GET /workspaces/:id)",
  args: [idArg],
  flags: [json],
  env: Remote.remoteEnv,
  examples: ["berth workspaces get 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10"],
  run: (input) => withId("berth workspaces get", input, (id) => Remote.call("berth workspaces get",
    (remote) => Effect.flatMap(Remote.client(remote), (c) => c.workspaces.get({ path: { id }, urlParams: {} })),
    (detail) => Output.show(input.flags.has("json"), detail, Output.record)))
}

const tier = (input: Input): number | undefined => {
  const raw = text(input, "tier")
  return raw === undefined ? undefined : Number(raw)
}

/** People see the token and the endpoints of an external workspace; the multi-line snippets only with `--json`. */
const createdView = (created: Readonly<Record<string, unknown>>): string => {
  const connection = created["connection"]
  if (typeof connection !== "object" || connection === null) return Output.record(created)
  const { connection: _snippets, ...rest } = created
  const { auth_token, registry_endpoint, heartbeat_endpoint } = connection as Readonly<Record<string, unknown>>
  return `${Output.record({ ...rest, auth_token, registry_endpoint, heartbeat_endpoint })}\n(the connection snippets: --json)`
}

const create: Command<HttpClient.HttpClient> = {
  name: "create",
  summary: "create a workspace (POST /workspaces); an external one prints its connection block and token",
  args: [{ name: "name", description: "the workspace's name" }],
  flags: [
    { name: "role", value: "role", description: "its role" },
    { name: "template", value: "id", description: "the template to provision from" },
    { name: "runtime", value: "runtime", description: "the runtime (default: the template's)" },
    { name: "model", value: "model", description: "the model slug" },
    { name: "tier", value: "n", description: "the tier (an integer)" },
    { name: "external", description: "an external workspace: the agent runs elsewhere and registers itself" },
    { name: "url", value: "url", description: "an external agent's URL (then it is online at once)" },
    { name: "idempotency-key", value: "key", description: "a retry with the same key gets the first answer" },
    json
  ],
  env: Remote.remoteEnv,
  examples: ["berth workspaces create researcher --template hermes", "berth workspaces create laptop-agent --external --json"],
  run: (input) => {
    const n = tier(input)
    if (n !== undefined && !Number.isInteger(n)) {
      return Effect.as(Console.error(`berth workspaces create: --tier must be an integer`), 2 as const)
    }
    const key = text(input, "idempotency-key")
    const payload = {
      name: input.args[0] ?? "",
      ...(text(input, "role") === undefined ? {} : { role: text(input, "role") }),
      ...(text(input, "template") === undefined ? {} : { template: text(input, "template") }),
      ...(text(input, "runtime") === undefined ? {} : { runtime: text(input, "runtime") }),
      ...(text(input, "model") === undefined ? {} : { model: text(input, "model") }),
      ...(text(input, "url") === undefined ? {} : { url: text(input, "url") }),
      ...(n === undefined ? {} : { tier: n }),
      ...(input.flags.has("external") ? { external: true } : {})
    }
    return Remote.call("berth workspaces create",
      (remote) => Effect.flatMap(Remote.client(remote), (c) =>
        c.workspaces.create({ payload, headers: key === undefined ? {} : { "idempotency-key": key } })),
      (created) => Output.show(input.flags.has("json"), created, createdView))
  }
}

const remove: Command<HttpClient.HttpClient> = {
  name: "delete",
  summary: "delete a workspace (DELETE /workspaces/:id); its children too with --confirm",
  args: [idArg],
  flags: [
    { name: "confirm", description: "confirm deleting a workspace that has children" },
    { name: "purge", description: "delete the rows instead of marking them removed" },
    json
  ],
  env: Remote.remoteEnv,
  examples: ["berth workspaces delete 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --confirm"],
  run: (input) => withId("berth workspaces delete", input, (id) => Remote.call("berth workspaces delete",
    (remote) => Effect.flatMap(Remote.client(remote), (c) => c.workspaces.remove({
      path: { id },
      urlParams: {
        ...(input.flags.has("confirm") ? { confirm: "true" } : {}),
        ...(input.flags.has("purge") ? { purge: "true" } : {})
      }
    })),
    (deleted) => Output.show(input.flags.has("json"), deleted, Output.record)))
}

const restart: Command<HttpClient.HttpClient> = {
  name: "restart",
  summary: "restart a workspace (POST /workspaces/:id/restart); an external one answers noop",
  args: [idArg],
  flags: [
    { name: "template", value: "id", description: "re-provision from this template" },
    { name: "reset", description: "remove the session volume first" },
    json
  ],
  env: Remote.remoteEnv,
  examples: ["berth workspaces restart 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --reset"],
  run: (input) => withId("berth workspaces restart", input, (id) => Remote.call("berth workspaces restart",
    (remote) => Effect.flatMap(Remote.client(remote), (c) => c.restart.restart({
      path: { id },
      payload: {
        ...(text(input, "template") === undefined ? {} : { template: text(input, "template") }),
        ...(input.flags.has("reset") ? { reset: true } : {})
      },
      urlParams: {}
    })),
    (answer) => Output.show(input.flags.has("json"), answer, Output.record)))
}

const update: Command<HttpClient.HttpClient> = {
  name: "update",
  summary: "edit a workspace (PATCH /workspaces/:id): only the fields given change",
  args: [idArg],
  flags: [
    { name: "name", value: "name", description: "its new name" },
    { name: "role", value: "role", description: "its new role (\"\" clears it)" },
    { name: "tier", value: "n", description: "its new tier (an integer)" },
    { name: "parent", value: "id", description: "its new parent (\"\" makes it a root)" },
    json
  ],
  env: Remote.remoteEnv,
  examples: ["berth workspaces update 3f0e6c1e-8a53-4d5b-9b1c-2f4f0b7c9d10 --name reviewer --parent \"\""],
  run: (input) => withId("berth workspaces update", input, (id) => {
    const parent = text(input, "parent")
    const payload = {
      ...(text(input, "name") === undefined ? {} : { name: text(input, "name") }),
      ...(text(input, "role") === undefined ? {} : { role: text(input, "role") }),
      ...(tier(input) === undefined ? {} : { tier: tier(input) }),
      ...(parent === undefined ? {} : { parent_id: parent === "" ? null : parent })
    }
    return Remote.call("berth workspaces update",
      (remote) => Effect.flatMap(Remote.client(remote), (c) => c.workspaceEdit.update({ path: { id }, payload })),
      (answer) => Output.show(input.flags.has("json"), answer, Output.record))
  })
}

export const workspaces: Command<HttpClient.HttpClient> = {
  name: "workspaces",
  summary: "list, show, create, update, delete and restart workspaces on a remote server",
  subcommands: [list, get, create, update, remove, restart],
  env: Remote.remoteEnv,
  examples: ["berth workspaces list", "berth workspaces get <id> --json"]
}
