import { EicTerminalProbe } from "@berth/adapters"
import type { DiagnoseStep } from "@berth/core"
import { WorkspaceId } from "@berth/core"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Option, Schema, TestClock } from "effect"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import type { FakeAws, FakeSsh } from "./FakePrograms.js"
import { callsOf, writeFakeAws, writeFakeSsh } from "./FakePrograms.js"

const workspaceId = Schema.decodeSync(WorkspaceId.WorkspaceId)("3f2b8c1e-0d4a-4e6b-9a51-7c2d9e8f1a00")
const instanceId = "i-0abc123def4567890"

/** A temporary directory for fake programs and the probe's keys (`keys/`), removed with the scope. */
const workdir = Effect.acquireRelease(
  Effect.sync(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-probe-test-"))
    fs.mkdirSync(path.join(dir, "keys"))
    return dir
  }),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

interface Setup {
  readonly aws?: FakeAws
  readonly ssh?: FakeSsh
  readonly osUser?: string
  readonly region?: string
}

/** The probe with fake programs in a fresh directory; without `aws`, its aws command is a path that does not exist. */
const probeWith = (setup: Setup) =>
  Effect.gen(function* () {
    const dir = yield* workdir
    const probe = yield* EicTerminalProbe.make({
      osUser: setup.osUser ?? "ubuntu",
      region: setup.region ?? "us-east-2",
      awsCommand: setup.aws === undefined ? path.join(dir, "no-such-aws") : writeFakeAws(dir, setup.aws),
      sshCommand: setup.ssh === undefined ? "ssh" : writeFakeSsh(dir, setup.ssh),
      keyDirectory: path.join(dir, "keys")
    }).pipe(Effect.provide(NodeContext.layer))
    return {
      diagnose: probe.diagnose(workspaceId, instanceId),
      awsCalls: () => callsOf(path.join(dir, "aws-calls.jsonl")),
      sshCalls: () => callsOf(path.join(dir, "ssh-calls.jsonl")),
      keysLeft: () => fs.readdirSync(path.join(dir, "keys"))
    }
  })

const names = (steps: ReadonlyArray<DiagnoseStep>) => steps.map((s) => `${s.name}:${s.ok ? "ok" : "failed"}`)

const refused = (port: number) =>
  Effect.async<boolean>((resume) => {
    const socket = net.connect({ host: "127.0.0.1", port })
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.succeed(false))
    })
    socket.once("error", () => resume(Effect.succeed(true)))
  })

const portOf = (steps: ReadonlyArray<DiagnoseStep>) =>
  Number(steps.find((s) => s.name === "pick-free-port")?.detail?.replace("port=", ""))

describe("EicTerminalProbe", () => {
  it.scoped("without an aws CLI: the key is made and read, sending it fails naming the CLI, the chain stops", () =>
    Effect.gen(function* () {
      const probe = yield* probeWith({})
      const steps = yield* probe.diagnose
      expect(names(steps)).toEqual(["ssh-keygen:ok", "read-pubkey:ok", "send-ssh-public-key:failed"])
      expect(steps[2]?.error).toMatch(/^aws CLI not found: .*no-such-aws$/)
      expect(steps[0]).not.toHaveProperty("error")
      expect(probe.keysLeft()).toEqual([]) // the ephemeral key is gone
    }))

  it.scoped("an AWS refusal surfaces in the error; the key goes to the configured user and region", () =>
    Effect.gen(function* () {
      const denied = "An error occurred (AccessDeniedException) when calling the SendSSHPublicKey operation: denied"
      const probe = yield* probeWith({
        aws: { sendKey: { exitCode: 255, stderr: `\n${denied}\n` } },
        osUser: "ec2-user",
        region: "eu-west-1"
      })
      const steps = yield* probe.diagnose
      expect(names(steps)).toEqual(["ssh-keygen:ok", "read-pubkey:ok", "send-ssh-public-key:failed"])
      expect(steps[2]?.error).toBe(`send-ssh-public-key: exit status 255 (${denied})`)
      const [call] = probe.awsCalls()
      expect(call?.slice(0, -1)).toEqual([
        "ec2-instance-connect", "send-ssh-public-key",
        "--region", "eu-west-1",
        "--instance-id", instanceId,
        "--instance-os-user", "ec2-user",
        "--ssh-public-key"
      ])
      expect(call?.at(-1)).toMatch(/^ssh-ed25519 \S+ molecule-diagnose$/)
      expect(probe.keysLeft()).toEqual([])
    }))

  it.live("the whole chain over a loopback tunnel; afterwards the tunnel is killed and the key removed", () =>
    Effect.scoped(Effect.gen(function* () {
      const probe = yield* probeWith({
        aws: { sendKey: { exitCode: 0 }, tunnel: { mode: "listen", stderr: "Listening for connections\n" } },
        ssh: { exitCode: 0, stdout: "Welcome to Ubuntu\nMOLECULE_TERMINAL_PROBE_OK\n" }
      })
      const steps = yield* probe.diagnose
      expect(names(steps)).toEqual([
        "ssh-keygen:ok", "read-pubkey:ok", "send-ssh-public-key:ok", "pick-free-port:ok",
        "open-tunnel:ok", "wait-for-port:ok", "ssh-probe:ok"
      ])
      const port = portOf(steps)
      expect(port).toBeGreaterThan(0)
      expect(steps.every((s) => s.error === undefined && s.durationMs >= 0)).toBe(true)
      expect(probe.awsCalls()[1]).toEqual([
        "--region", "us-east-2",
        "ec2-instance-connect", "open-tunnel",
        "--instance-id", instanceId,
        "--local-port", String(port)
      ])
      const [ssh] = probe.sshCalls()
      expect(ssh?.[0]).toBe("-i")
      expect(path.basename(ssh?.[1] ?? "")).toBe("id")
      expect(ssh?.slice(2)).toEqual([
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10",
        "-p", String(port),
        "ubuntu@127.0.0.1",
        "echo MOLECULE_TERMINAL_PROBE_OK"
      ])
      expect(yield* refused(port)).toBe(true)
      expect(probe.keysLeft()).toEqual([])
    })))

  it.live("ssh-probe with the real ssh against a tunnel whose sshd hangs up: exit status 255 and ssh's words", () =>
    Effect.scoped(Effect.gen(function* () {
      const probe = yield* probeWith({ aws: { sendKey: { exitCode: 0 }, tunnel: { mode: "listen" } } })
      const steps = yield* probe.diagnose
      const last = steps.at(-1)
      expect(names(steps).slice(-2)).toEqual(["wait-for-port:ok", "ssh-probe:failed"])
      expect(last?.error).toBe("exit status 255")
      expect(last?.detail).toContain("Connection closed")
    })))

  it.live("ssh-probe fails when ssh exits 0 without the marker", () =>
    Effect.scoped(Effect.gen(function* () {
      const probe = yield* probeWith({
        aws: { sendKey: { exitCode: 0 }, tunnel: { mode: "listen" } },
        ssh: { exitCode: 0, stdout: "This account is currently not available.\n" }
      })
      const last = (yield* probe.diagnose).at(-1)
      expect(last).toMatchObject({
        name: "ssh-probe",
        ok: false,
        error: "MOLECULE_TERMINAL_PROBE_OK missing from the ssh output",
        detail: "This account is currently not available."
      })
    })))

  it.live("a tunnel that exits before listening fails wait-for-port with the tunnel's stderr", () =>
    Effect.scoped(Effect.gen(function* () {
      const refusal = "An error occurred (AccessDenied) when calling the OpenTunnel operation"
      const probe = yield* probeWith({ aws: { sendKey: { exitCode: 0 }, tunnel: { mode: "exit", stderr: refusal } } })
      const steps = yield* probe.diagnose
      expect(names(steps).slice(-2)).toEqual(["open-tunnel:ok", "wait-for-port:failed"])
      expect(steps.at(-1)).toMatchObject({ error: "tunnel exited (exit status 1) before listening", detail: refusal })
      expect(probe.sshCalls()).toEqual([])
    })))

  it.scoped("wait-for-port gives up after 10 s on the Effect clock", () =>
    Effect.gen(function* () {
      const probe = yield* probeWith({ aws: { sendKey: { exitCode: 0 }, tunnel: { mode: "silent" } } })
      const fiber = yield* Effect.fork(probe.diagnose)
      // Real-time wait until the probe sleeps on the test clock: it is then polling the tunnel's port.
      while (Chunk.isEmpty(yield* TestClock.sleeps())) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
      }
      yield* TestClock.adjust("9999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const steps = yield* Fiber.join(fiber)
      expect(names(steps).slice(-2)).toEqual(["open-tunnel:ok", "wait-for-port:failed"])
      expect(steps.at(-1)).toMatchObject({ error: `timed out waiting for 127.0.0.1:${portOf(steps)}`, durationMs: 10_000 })
      expect(probe.keysLeft()).toEqual([])
    }))
})
