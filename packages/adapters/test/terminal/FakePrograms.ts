/**
 * Stand-ins for `aws` and `ssh` that the terminal probe tests write into a temporary directory. NETWORK SAFETY: the
 * real `aws` binary is never run by a test, and nothing here addresses anything but 127.0.0.1 — the fake tunnel
 * listens on the loopback port the probe picked, exactly where the real `open-tunnel` would.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** How the fake `aws` behaves. `listen`: the tunnel accepts connections (and closes them, like a dead sshd). */
export interface FakeAws {
  readonly sendKey: { readonly exitCode: number; readonly stderr?: string }
  readonly tunnel?: { readonly mode: "listen" | "exit" | "silent"; readonly stderr?: string }
}

/** What a fake ssh prints and how it exits. */
export interface FakeSsh {
  readonly exitCode: number
  readonly stdout?: string
  readonly stderr?: string
}

const script = (file: string, body: string) => {
  // The Node running the tests, by absolute path: no PATH lookup, no other interpreter.
  fs.writeFileSync(file, `#!${process.execPath}\n"use strict"\n${body}\n`, { mode: 0o755 })
  return file
}

const recordCall = (calls: string) =>
  `require("node:fs").appendFileSync(${JSON.stringify(calls)}, JSON.stringify(process.argv.slice(2)) + "\\n")`

/** The argument lists a fake program was called with, in order. */
export const callsOf = (calls: string): ReadonlyArray<ReadonlyArray<string>> =>
  fs.existsSync(calls)
    ? fs.readFileSync(calls, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Array<string>)
    : []

/** Writes a fake `aws` into `dir`; its calls are recorded in `<dir>/aws-calls.jsonl`. */
export const writeFakeAws = (dir: string, behaviour: FakeAws) =>
  script(
    path.join(dir, "aws"),
    `const behaviour = ${JSON.stringify(behaviour)}
const args = process.argv.slice(2)
if (args.includes("send-ssh-public-key")) {
  ${recordCall(path.join(dir, "aws-calls.jsonl"))}
  process.stderr.write(behaviour.sendKey.stderr ?? "")
  process.exit(behaviour.sendKey.exitCode)
}
if (args.includes("open-tunnel")) {
  const tunnel = behaviour.tunnel ?? { mode: "silent" }
  process.stderr.write(tunnel.stderr ?? "")
  if (tunnel.mode === "exit") process.exit(1)
  if (tunnel.mode === "listen") {
    const port = Number(args[args.indexOf("--local-port") + 1])
    require("node:net").createServer((socket) => socket.end()).listen(port, "127.0.0.1", () => {
      ${recordCall(path.join(dir, "aws-calls.jsonl"))}
    })
  } else {
    ${recordCall(path.join(dir, "aws-calls.jsonl"))}
  }
  setInterval(() => {}, 60_000) // a tunnel runs until it is killed
} else {
  process.stderr.write("fake aws: unexpected call " + JSON.stringify(args))
  process.exit(2)
}`
  )

/** Writes a fake `ssh` into `dir`; its calls are recorded in `<dir>/ssh-calls.jsonl`. */
export const writeFakeSsh = (dir: string, behaviour: FakeSsh) =>
  script(
    path.join(dir, "ssh"),
    `${recordCall(path.join(dir, "ssh-calls.jsonl"))}
process.stdout.write(${JSON.stringify(behaviour.stdout ?? "")})
process.stderr.write(${JSON.stringify(behaviour.stderr ?? "")})
process.exit(${behaviour.exitCode})`
  )
