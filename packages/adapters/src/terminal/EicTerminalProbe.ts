/**
 * The remote stages of terminal diagnosis (§5.12) over EC2 Instance Connect: an ephemeral ed25519 key is pushed to
 * the machine with the AWS CLI, a tunnel to its sshd is opened on a free loopback port, and a non-interactive ssh
 * proves login and shell. The chain stops at the first failure; the key's directory and the tunnel live in the
 * diagnosis' scope, so they are gone when it returns or is interrupted (the caller's 30 s deadline).
 */
import type { DiagnoseStep } from "@berth/core"
import { RemoteTerminalProbe } from "@berth/core"
import { CommandExecutor, FileSystem } from "@effect/platform"
import type { ConfigError } from "effect"
import { Clock, Data, Duration, Effect, Either, Layer, Schedule } from "effect"
import * as Net from "node:net"
import type { EicProbeOptions } from "./EicProbeConfig.js"
import { EicProbeConfig } from "./EicProbeConfig.js"
import type { Background, Program } from "./Subprocess.js"
import { exitStatus, runToEnd, StageFailed, startInBackground } from "./Subprocess.js"

/** What the probe's ssh echoes; distinct from any banner or motd. */
export const probeMarker = "MOLECULE_TERMINAL_PROBE_OK"

/** Contract §5.12: how long the tunnel gets to start listening. */
const portWait = Duration.seconds(10)
const portPoll = Schedule.spaced("200 millis")

/** Ends the chain after a failed stage (already recorded). */
class ChainStopped extends Data.TaggedError("ChainStopped")<{}> {}

/** A free loopback port, found by binding 127.0.0.1:0 (the tunnel binds it a moment later). */
const freePort = Effect.async<number, StageFailed>((resume) => {
  const server = Net.createServer()
  server.once("error", (e) => resume(Effect.fail(new StageFailed({ error: e.message }))))
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Succeeds once something accepts a connection on 127.0.0.1:`port`. */
const acceptsConnections = (port: number) =>
  Effect.async<void, Error>((resume) => {
    const socket = Net.connect({ host: "127.0.0.1", port })
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (e) => resume(Effect.fail(e)))
    return Effect.sync(() => socket.destroy())
  })

/** Polls the tunnel's port for up to 10 s; a tunnel that exits first fails at once. Detail: the tunnel's stderr. */
const waitForPort = (port: number, tunnel: Background) =>
  Effect.raceFirst(
    Effect.retry(acceptsConnections(port), portPoll).pipe(Effect.mapError((e) => e.message)),
    Effect.flatMap(tunnel.exited, (code) => Effect.fail(`tunnel exited (${exitStatus(code)}) before listening`))
  ).pipe(
    Effect.timeoutFail({ duration: portWait, onTimeout: () => `timed out waiting for 127.0.0.1:${port}` }),
    Effect.catchAll((error) =>
      Effect.flatMap(tunnel.stderr, (stderr) => Effect.fail(new StageFailed({ error, detail: stderr.trim() })))
    )
  )

const toStep = (name: string, ok: boolean, durationMs: number, error?: string, detail?: string): DiagnoseStep => ({
  name,
  ok,
  durationMs,
  // omitted on the wire when empty (§5.12)
  ...(error === undefined || error === "" ? {} : { error }),
  ...(detail === undefined || detail === "" ? {} : { detail })
})

/** The probe over EC2 Instance Connect, running programs through `CommandExecutor` (Node's in production). */
export const make = (
  options: EicProbeOptions
): Effect.Effect<RemoteTerminalProbe["Type"], never, CommandExecutor.CommandExecutor | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const executor = yield* CommandExecutor.CommandExecutor
    const aws: Program = { label: "aws CLI", path: options.awsCommand ?? "aws" }
    const ssh: Program = { label: "ssh", path: options.sshCommand ?? "ssh" }
    const keygen: Program = { label: "ssh-keygen", path: options.sshKeygenCommand ?? "ssh-keygen" }
    const { osUser, region } = options

    const diagnose = Effect.fn("EicTerminalProbe.diagnose")(function* (_id: string, instanceId: string) {
      const steps: Array<DiagnoseStep> = []

      /** Runs one stage, timed with the Effect clock, and records it; a failure ends the chain. */
      const stage = <A, R>(name: string, body: Effect.Effect<A, StageFailed, R>, detailOf?: (a: A) => string) =>
        Effect.gen(function* () {
          const started = yield* Clock.currentTimeMillis
          const result = yield* body.pipe(
            Effect.catchAllDefect((defect) => Effect.fail(new StageFailed({ error: `unexpected: ${String(defect)}` }))),
            Effect.either
          )
          const durationMs = (yield* Clock.currentTimeMillis) - started
          if (Either.isLeft(result)) {
            steps.push(toStep(name, false, durationMs, result.left.error, result.left.detail))
            return yield* new ChainStopped()
          }
          steps.push(toStep(name, true, durationMs, undefined, detailOf?.(result.right)))
          return result.right
        })

      const chain = Effect.gen(function* () {
        const keyPath = yield* stage("ssh-keygen", Effect.gen(function* () {
          const dir = yield* fs.makeTempDirectoryScoped({
            prefix: "molecule-diagnose-",
            ...(options.keyDirectory === undefined ? {} : { directory: options.keyDirectory })
          }).pipe(Effect.mapError((e) => new StageFailed({ error: `mkdir tmp: ${e.message}` })))
          const key = `${dir}/id`
          const made = yield* runToEnd(keygen, ["-t", "ed25519", "-f", key, "-N", "", "-q", "-C", "molecule-diagnose"])
          if (made.exitCode !== 0) {
            return yield* new StageFailed({ error: exitStatus(made.exitCode), detail: made.output })
          }
          return key
        }))

        const publicKey = yield* stage("read-pubkey", fs.readFileString(`${keyPath}.pub`).pipe(
          Effect.map((text) => text.trim()),
          Effect.mapError((e) => new StageFailed({ error: `read pubkey: ${e.message}` })),
          Effect.filterOrFail((key) => key !== "", () => new StageFailed({ error: "read pubkey: empty file" }))
        ))

        yield* stage("send-ssh-public-key", Effect.gen(function* () {
          const sent = yield* runToEnd(aws, [
            "ec2-instance-connect", "send-ssh-public-key",
            "--region", region,
            "--instance-id", instanceId,
            "--instance-os-user", osUser,
            "--ssh-public-key", publicKey
          ])
          if (sent.exitCode !== 0) {
            // The AWS error (IAM denial, unknown instance) is the point of this stage: it goes in `error`, like Go's.
            const output = sent.output === "" ? "" : ` (${sent.output})`
            return yield* new StageFailed({ error: `send-ssh-public-key: ${exitStatus(sent.exitCode)}${output}` })
          }
        }))

        const port = yield* stage("pick-free-port", freePort, (p) => `port=${p}`)

        const tunnel = yield* stage("open-tunnel", startInBackground(aws, [
          "--region", region,
          "ec2-instance-connect", "open-tunnel",
          "--instance-id", instanceId,
          "--local-port", String(port)
        ]))

        yield* stage("wait-for-port", waitForPort(port, tunnel))

        yield* stage("ssh-probe", Effect.gen(function* () {
          const probe = yield* runToEnd(ssh, [
            "-i", keyPath,
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-p", String(port),
            `${osUser}@127.0.0.1`,
            `echo ${probeMarker}`
          ])
          if (probe.exitCode !== 0) {
            return yield* new StageFailed({ error: exitStatus(probe.exitCode), detail: probe.output })
          }
          if (!probe.output.includes(probeMarker)) {
            return yield* new StageFailed({ error: `${probeMarker} missing from the ssh output`, detail: probe.output })
          }
        }))
      })

      yield* chain.pipe(
        Effect.scoped, // removes the key directory and kills the tunnel
        Effect.catchTag("ChainStopped", () => Effect.void),
        Effect.provideService(CommandExecutor.CommandExecutor, executor)
      )
      return steps
    }, (effect, id, instanceId) => Effect.annotateLogs(effect, { workspace_id: id, instance_id: instanceId }))

    return RemoteTerminalProbe.of({ diagnose })
  })

/** The probe for fixed options; needs `CommandExecutor` and `FileSystem` (e.g. `NodeContext.layer`). */
export const layer = (
  options: EicProbeOptions
): Layer.Layer<RemoteTerminalProbe, never, CommandExecutor.CommandExecutor | FileSystem.FileSystem> =>
  Layer.effect(RemoteTerminalProbe, make(options))

/** The probe configured from the environment (`EicProbeConfig`), running `aws`, `ssh` and `ssh-keygen` from PATH. */
export const layerConfig: Layer.Layer<
  RemoteTerminalProbe,
  ConfigError.ConfigError,
  CommandExecutor.CommandExecutor | FileSystem.FileSystem
> = Layer.unwrapEffect(Effect.map(EicProbeConfig, layer))
