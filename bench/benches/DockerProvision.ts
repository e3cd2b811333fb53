/**
 * Docker provision to running against a plain `docker run` (issue 9, item 6). The server runs in self-hosted mode on
 * the local engine (network `none`, images built offline from busybox-static and pushed to the loopback registry).
 * Berth: `POST /workspaces` until the engine reports `ws-<id>` running (everything the provisioner does first:
 * volumes, the config written through the helper container, env, create, start). Baseline, same image, same engine,
 * same polling: `docker create` + `start` through the engine API until running. Alternated, median of the rounds.
 */
import { DockerImages, Testing } from "@berth/adapters/testing"
import type Docker from "dockerode"
import { Effect, Schedule } from "effect"
import { randomBytes } from "node:crypto"
import { encodeRequest, HttpConnection } from "../load/HttpConnection.js"
import { median } from "../load/Stats.js"
import * as BerthServer from "../lib/BerthServer.js"
import { freshDatabase } from "../lib/Postgres.js"
import type { Section } from "../lib/Report.js"
import { ms, num, table } from "../lib/Report.js"
import { CommandFailed } from "../lib/Shell.js"

export interface ProvisionOptions {
  readonly rounds: number
}

export const defaults: ProvisionOptions = { rounds: 7 }

const admin = "bench-admin-token"

const engine = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new CommandFailed({ command: `docker: ${what}`, output: String(cause) }) })

/** Milliseconds from `started` until the engine reports container `name` running (polled every 10 ms, 60 s at most). */
const untilRunning = (docker: Docker, name: string, started: number) =>
  engine(`inspect ${name}`, () => docker.getContainer(name).inspect()).pipe(
    Effect.filterOrFail((info) => info.State.Running, () => new CommandFailed({ command: `docker: ${name}`, output: "not running yet" })),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo("60 seconds"))),
    Effect.map(() => performance.now() - started)
  )

/** Removes containers and volumes whose name starts with one of `prefixes`. */
const removeAll = (docker: Docker, prefixes: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const containers = yield* engine("list", () => docker.listContainers({ all: true }))
    for (const c of containers) {
      if (c.Names.some((n) => prefixes.some((p) => n.replace(/^\//, "").startsWith(p)))) {
        yield* Effect.ignore(engine("remove", () => docker.getContainer(c.Id).remove({ force: true })))
      }
    }
    const { Volumes } = yield* engine("volumes", () => docker.listVolumes())
    for (const v of Volumes ?? []) {
      if (prefixes.some((p) => v.Name.startsWith(p))) yield* Effect.ignore(engine("remove volume", () => docker.getVolume(v.Name).remove({ force: true })))
    }
  })

export const run = (options: ProvisionOptions = defaults) =>
  Effect.scoped(Effect.gen(function* () {
    const docker = yield* Effect.promise(() => Testing.pingDockerEngine())
    if (docker === undefined) return yield* Effect.fail(new CommandFailed({ command: "docker ping", output: `no engine on ${Testing.dockerSocketPath}` }))
    const tag = randomBytes(3).toString("hex")
    const agentImage = DockerImages.testImageRef(`bench-agent-${tag}`, "1.0")
    const helperImage = DockerImages.testImageRef(`bench-helper-${tag}`, "1.0")
    const baselinePrefix = `bench-plain-${tag}-`
    const created: Array<string> = []
    yield* Effect.acquireRelease(
      engine("publish images", () => Promise.all([
        DockerImages.publishImage(docker, agentImage, "agent"),
        DockerImages.publishImage(docker, helperImage, "helper")
      ])),
      () => Effect.ignore(Effect.zipRight(
        removeAll(docker, [baselinePrefix, ...created.map((id) => `ws-${id}`)]),
        engine("remove images", () => DockerImages.removeImages(docker, [agentImage, helperImage]))
      ))
    )
    const db = yield* freshDatabase("berth_bench_provision")
    const server = yield* BerthServer.start("provision", {
      DATABASE_URL: db.url,
      DOCKER_HOST: `unix://${Testing.dockerSocketPath}`,
      BERTH_DOCKER_NETWORK: "none",
      BERTH_HELPER_IMAGE: helperImage,
      BERTH_IMAGE_CLAUDE_CODE: agentImage,
      ADMIN_TOKEN: admin
    })
    const connection = new HttpConnection(server.port)
    yield* Effect.addFinalizer(() => Effect.sync(() => connection.close()))

    const berthOnce = (i: number) =>
      Effect.gen(function* () {
        const started = performance.now()
        // tier 2: tiers 3 and 4 run privileged, which an engine inside a container cannot grant
        const answer = yield* engine("POST /workspaces", () => connection.send(encodeRequest("POST", "/workspaces", {
          headers: { Authorization: `Bearer ${admin}` },
          body: JSON.stringify({ name: `bench-provision-${i}`, tier: 2 })
        })))
        if (answer.status !== 201) return yield* Effect.fail(new CommandFailed({ command: "POST /workspaces", output: `${answer.status} ${answer.body.toString("utf8")}` }))
        const id = (JSON.parse(answer.body.toString("utf8")) as { readonly id: string }).id
        created.push(id)
        return yield* untilRunning(docker, `ws-${id}`, started)
      })

    const plainOnce = (i: number) =>
      Effect.gen(function* () {
        const name = `${baselinePrefix}${i}`
        const started = performance.now()
        const container = yield* engine("create", () => docker.createContainer({ name, Image: agentImage, HostConfig: { NetworkMode: "none" } }))
        yield* engine("start", () => container.start())
        return yield* untilRunning(docker, name, started)
      })

    const berth: Array<number> = []
    const plain: Array<number> = []
    // One unmeasured round each: the first create of a kind pays for caches neither side keeps paying for.
    yield* plainOnce(-1)
    yield* berthOnce(-1)
    for (let i = 0; i < options.rounds; i++) {
      plain.push(yield* plainOnce(i))
      berth.push(yield* berthOnce(i))
    }
    return section(options, berth, plain)
  }))

const section = (options: ProvisionOptions, berth: ReadonlyArray<number>, plain: ReadonlyArray<number>): Section => {
  const ratio = median(berth) / median(plain)
  const row = (what: string, values: ReadonlyArray<number>) =>
    [what, ms(median(values)), ms(Math.min(...values)), ms(Math.max(...values))]
  return {
    title: "Docker provision to running against a plain docker run (item 6)",
    body: [
      `${options.rounds} alternating rounds after one unmeasured round each; time until the engine reports the ` +
      "container running, polled every 10 ms on both sides.",
      "",
      table(["", "median", "min", "max"], [
        row("Berth: `POST /workspaces` → `ws-<id>` running", berth),
        row("baseline: `docker create` + `start` (engine API)", plain)
      ]),
      "",
      `Ratio of the medians: **${num(ratio, 2)}**.`
    ].join("\n"),
    aims: [{
      what: "Docker provision to running ÷ plain docker run",
      aim: "≤ 1.5",
      measured: num(ratio, 2),
      met: ratio <= 1.5,
      ...(ratio <= 1.5 ? {} : { note: `missed by ${num(ratio - 1.5, 2)}` })
    }]
  }
}
