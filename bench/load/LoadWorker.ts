/**
 * The load generator, run as its own process (`fork`) so that it never shares the server's event loop nor the bench
 * runner's. It receives one `Plan` over IPC, runs it, and answers one `LoadResult`.
 *
 * - closed loop: `clients` connections, each sending its next request as soon as the previous one is answered, every
 *   request picked at random from `requests` (pgbench's shape: random row, fixed client count);
 * - open loop: one agent per request, each sending on its own fixed period from a random phase; latency is measured
 *   from the scheduled send time, so a slow answer cannot hide the ones queued behind it (coordinated omission).
 */
import { performance } from "node:perf_hooks"
import { HttpConnection } from "./HttpConnection.js"
import type { Bursts, LatencySummary } from "./Stats.js"
import { bursts, Samples, summarize } from "./Stats.js"

export type Plan =
  | {
    readonly kind: "closed"
    readonly port: number
    readonly requests: ReadonlyArray<string>
    readonly clients: number
    readonly warmupMs: number
    readonly durationMs: number
  }
  | {
    readonly kind: "open"
    readonly port: number
    readonly requests: ReadonlyArray<string>
    readonly periodMs: number
    readonly durationMs: number
    /** Another request sent every `periodMs` on one connection meanwhile: what the same server answers at the same moments. */
    readonly probe?: { readonly request: string; readonly periodMs: number }
  }

export interface LoadResult {
  /** Answers received inside the measured window. */
  readonly completed: number
  /** Answers received in all (warm-up included): what the server's CPU time was spent on. */
  readonly answered: number
  /** Answers per second inside the measured window. */
  readonly perSecond: number
  readonly latency: LatencySummary
  /** Answers by status code (measured window). */
  readonly statuses: Readonly<Record<string, number>>
  /** Requests that got no answer (connection errors). */
  readonly errors: number
  /** TCP connections opened. */
  readonly connects: number
  /** Open loop: latency of the probe, and how the slow answers were spread. */
  readonly probe?: LatencySummary
  readonly bursts?: Bursts
}

const tally = (statuses: Record<string, number>, status: number) => {
  statuses[status] = (statuses[status] ?? 0) + 1
}

const closedLoop = async (plan: Extract<Plan, { kind: "closed" }>): Promise<LoadResult> => {
  const requests = plan.requests.map((r) => Buffer.from(r, "latin1"))
  const connections = Array.from({ length: plan.clients }, () => new HttpConnection(plan.port))
  const samples = new Samples()
  const statuses: Record<string, number> = {}
  let errors = 0
  let answered = 0
  const start = performance.now()
  const measureFrom = start + plan.warmupMs
  const stopAt = measureFrom + plan.durationMs
  const client = async (connection: HttpConnection) => {
    while (performance.now() < stopAt) {
      const request = requests[Math.floor(Math.random() * requests.length)]!
      const sent = performance.now()
      try {
        const answer = await connection.send(request)
        const done = performance.now()
        answered += 1
        if (sent >= measureFrom && done <= stopAt) {
          samples.push(done - sent)
          tally(statuses, answer.status)
        }
      } catch {
        errors += 1
      }
    }
  }
  await Promise.all(connections.map(client))
  for (const c of connections) c.close()
  return {
    completed: samples.length,
    answered,
    perSecond: samples.length / (plan.durationMs / 1000),
    latency: summarize(samples.values()),
    statuses,
    errors,
    connects: connections.reduce((n, c) => n + c.connects, 0)
  }
}

const openLoop = async (plan: Extract<Plan, { kind: "open" }>): Promise<LoadResult> => {
  const samples = new Samples()
  const statuses: Record<string, number> = {}
  let errors = 0
  let answered = 0
  const agents = plan.requests.map((r) => ({ request: Buffer.from(r, "latin1"), connection: new HttpConnection(plan.port) }))
  const scheduled = new Samples()
  const start = performance.now()
  const stopAt = start + plan.durationMs
  const probeSamples = new Samples()
  const probe = async (p: NonNullable<typeof plan.probe>) => {
    const connection = new HttpConnection(plan.port)
    const request = Buffer.from(p.request, "latin1")
    for (let due = start; due < stopAt; due += p.periodMs) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      await connection.send(request).then(() => probeSamples.push(performance.now() - due), () => undefined)
    }
    connection.close()
  }
  const agent = async (a: (typeof agents)[number]) => {
    let due = start + Math.random() * plan.periodMs
    while (due < stopAt) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      try {
        const answer = await a.connection.send(a.request)
        samples.push(performance.now() - due)
        scheduled.push(due)
        answered += 1
        tally(statuses, answer.status)
      } catch {
        errors += 1
      }
      due += plan.periodMs
    }
  }
  await Promise.all([...agents.map(agent), ...(plan.probe === undefined ? [] : [probe(plan.probe)])])
  for (const a of agents) a.connection.close()
  const latency = summarize(samples.values())
  return {
    completed: samples.length,
    answered,
    perSecond: samples.length / (plan.durationMs / 1000),
    latency,
    statuses,
    errors,
    connects: agents.reduce((n, a) => n + a.connection.connects, 0),
    ...(plan.probe === undefined ? {} : { probe: summarize(probeSamples.values()) }),
    bursts: bursts(scheduled.values(), samples.values(), Math.max(2 * latency.p95Ms, 10))
  }
}

process.once("message", (plan: Plan) => {
  const run = plan.kind === "closed" ? closedLoop(plan) : openLoop(plan)
  run.then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1))
  )
})
