/** The CLI's parts without a server: argv parsing, help pages, the request's credentials, the failure lines. */
import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import type { Command } from "../src/cli/Command.js"
import { help, parse } from "../src/cli/Command.js"
import * as Output from "../src/cli/Output.js"
import * as Remote from "../src/cli/Remote.js"

const leaf: Command<never> = {
  name: "get",
  summary: "show one",
  args: [{ name: "id", description: "the id" }, { name: "extra", optional: true, description: "more" }],
  flags: [{ name: "json", description: "as JSON" }, { name: "limit", value: "n", description: "at most n" }],
  env: [["BERTH_URL", "the server"]],
  examples: ["tool things get 1"],
  run: () => Effect.succeed(0 as const)
}
const root: Command<never> = {
  name: "tool",
  summary: "a tool",
  subcommands: [{ name: "things", summary: "things", subcommands: [leaf] }]
}

describe("CLI argv parsing", () => {
  it("walks the subcommands and reads switches, --name value and --name=value", () => {
    const parsed = parse(root, ["things", "get", "7", "--limit=3", "--json"])
    expect(parsed._tag).toBe("Run")
    if (parsed._tag !== "Run") return
    expect(parsed.path).toBe("tool things get")
    expect(parsed.input.args).toEqual(["7"])
    expect([...parsed.input.flags]).toEqual([["limit", "3"], ["json", true]])
    const spaced = parse(root, ["things", "get", "7", "--limit", "4"])
    expect(spaced._tag === "Run" && spaced.input.flags.get("limit")).toBe("4")
  })

  it("tells each mistake in one line naming the command", () => {
    const message = (argv: ReadonlyArray<string>) => {
      const parsed = parse(root, argv)
      return parsed._tag === "Mistake" ? parsed.message : parsed._tag
    }
    expect(message(["thing"])).toBe(`tool: unknown command "thing" (one of: things); see tool --help`)
    expect(message(["things", "get"])).toBe("tool things get: missing <id>; see tool things get --help")
    expect(message(["things", "get", "1", "2", "3"])).toBe(`tool things get: unexpected argument "3"; see tool things get --help`)
    expect(message(["things", "get", "1", "--limit"])).toBe("tool things get: --limit needs a value <n>")
    expect(message(["things", "get", "1", "--json=yes"])).toBe("tool things get: --json takes no value")
    expect(message(["things", "get", "1", "--nope"])).toBe("tool things get: unknown option --nope; see tool things get --help")
  })

  it("answers help for --help anywhere and for a group named without a subcommand", () => {
    expect(parse(root, ["things", "get", "--help"])).toMatchObject({ _tag: "Help", path: "tool things get" })
    expect(parse(root, ["things"])).toMatchObject({ _tag: "Help", path: "tool things" })
    expect(parse(root, ["-h"])).toMatchObject({ _tag: "Help", path: "tool" })
  })

  it("help: subcommands first, then usage, arguments, options, environment, examples", () => {
    expect(help(root, "tool").split("\n\n").map((s) => s.split("\n")[0])).toEqual(["tool — a tool", "Commands:", "Usage:", "Options:"])
    const page = help(leaf, "tool things get")
    expect(page.split("\n\n").map((s) => s.split("\n")[0])).toEqual(
      ["tool things get — show one", "Usage:", "Arguments:", "Options:", "Environment:", "Examples:"]
    )
    expect(page).toContain("tool things get <id> [extra] [options]")
    expect(page).toContain("--limit <n>  at most n")
  })
})

describe("CLI output and requests", () => {
  it("a table aligns its columns, upper-cases its header and carries no colour off a terminal", () => {
    expect(Output.table(["id", "name"], [{ id: "a", name: "first" }, { id: "bbb", name: null }])).toBe(
      "ID   NAME\na    first\nbbb"
    )
    expect(Output.table(["id"], [])).toBe("(none)")
    expect(Output.record({ status: "ok", nested: { a: 1 } })).toBe("status    ok\nnested.a  1")
  })

  it("sends ADMIN_TOKEN as the bearer unless an agent token is given, and the org id header", () => {
    const remote: Remote.Remote = { url: "http://127.0.0.1:1", adminToken: Option.some(Redacted.make("admin")), orgId: Option.some("org-1") }
    const asAdmin = Remote.authorize(remote)(HttpClientRequest.get("/workspaces"))
    expect(asAdmin.headers["authorization"]).toBe("Bearer admin")
    expect(asAdmin.headers["x-molecule-org-id"]).toBe("org-1")
    const asAgent = Remote.authorize(remote, Option.some("agent"))(HttpClientRequest.get("/registry/heartbeat"))
    expect(asAgent.headers["authorization"]).toBe("Bearer agent")
    const bare = Remote.authorize({ ...remote, adminToken: Option.none(), orgId: Option.none() })(HttpClientRequest.get("/"))
    expect(bare.headers["authorization"]).toBeUndefined()
    expect(bare.headers["x-molecule-org-id"]).toBeUndefined()
  })

  it("tells a refusal by the server's words and a hint", () => {
    const remote: Remote.Remote = { url: "http://127.0.0.1:1", adminToken: Option.none(), orgId: Option.none() }
    expect(Remote.describe(remote, { _tag: "Unavailable", error: "datastore unavailable", code: "db_down" }))
      .toBe("datastore unavailable (db_down)")
    expect(Remote.describe(remote, { _tag: "ConfirmationRequired", message: "has 2 children" }))
      .toBe("has 2 children: pass --confirm to delete the children too")
  })
})
